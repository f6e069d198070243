"""Finishing an order whose mobile-money payment failed once: pay again, or pay cash instead."""
from datetime import datetime

from menus.choices import Choice, Filled, Move, amount, status_words
from menus.screens import fills, picks, static_choices
from menus.hopping import Hopping
from core import payment_retry
from core.models import Order
from core.notices import national
from core.payments import WAITING, payment_for
from menus.words import MESSAGES, WORDS
from state_machines.order import OrderStatus


async def learn_offer(h: Hopping, last: Order | None) -> None:
    """At the start of a session: whether the last order still waits for the customer's answer,
    kept with its deadline so the main menu needs no database to show or hide the option."""
    if last is None or last.status != OrderStatus.AWAITING_PAYMENT.value or last.payment_retry_until is None:
        return
    try:
        await payment_retry.standing(h.unit, last)
    except payment_retry.NoOffer:
        return
    h.state.known["retry"] = [last.code, last.payment_retry_until.isoformat()]


def offered_code(h: Hopping) -> str | None:
    """The order whose second chance the main menu offers, while its window lasts."""
    known = h.state.known.get("retry")
    if not known or h.unit.now() >= datetime.fromisoformat(known[1]):
        return None
    return known[0]


@fills("pay_again")
async def pay_again(h: Hopping) -> Filled:
    order = await h.chosen_order()
    try:
        chance = await payment_retry.standing(h.unit, order)
    except payment_retry.NoOffer:
        h.state.known.pop("retry", None)  # gone since the menu showed it: the engine goes home
        raise
    values = {
        "code": order.code, "total": amount(h, order.total_xaf), "minutes": chance.minutes_left,
        "method": h.t(WORDS[order.payment_method]),
    }
    facts = {"is_delivery": order.fulfilment == "delivery", "is_pickup": order.fulfilment == "pickup"}
    return Filled(values=values, choices=static_choices(h, facts, **values))


@picks("pay_again")
async def pick_pay_again(h: Hopping, choice: Choice) -> Move:
    order = await h.chosen_order()
    customer = await h.account()
    h.state.known.pop("retry", None)  # answered (or gone): the main menu stops offering it
    try:
        if choice.action == "try_again":
            await payment_retry.try_again(h.unit, order, customer, window_s=h.payment_window_s)
            h.after_commit.append("payments")  # the new prompt goes out once this hop has answered
        else:
            await payment_retry.pay_cash_instead(h.unit, order, customer, window_s=h.payment_window_s)
    except payment_retry.NoOffer:
        pass  # the closing screen says what became of the order
    return Move(choice.action)


@fills("paid_again")
async def paid_again(h: Hopping) -> Filled:
    """Read from the order as it stands, so that a replayed hop shows the same truth."""
    order = await h.chosen_order()
    restaurant = h.catalog.restaurant(order.restaurant_id)
    values = {"code": order.code, "restaurant": restaurant.name, "total": amount(h, order.total_xaf)}
    latest = await payment_for(h.unit, order)
    if order.status == OrderStatus.AWAITING_PAYMENT.value and latest is not None and latest.status in WAITING:
        message = h.t(MESSAGES["placed_mobile"], phone=national(latest.payer_phone or h.hop.phone), **values)
    elif order.status == OrderStatus.PENDING_RESTAURANT.value and order.payment_method == "cash":
        message = h.t(MESSAGES["placed_cash" if order.fulfilment == "delivery" else "placed_pickup"], **values)
    elif order.status == OrderStatus.AWAITING_PAYMENT.value or order.cancelled_by == "payment":
        message = h.t(MESSAGES["pay_again_lapsed"], code=order.code)
    else:
        message = h.t(MESSAGES["order_status"], code=order.code, status=status_words(h, order.status))
    return Filled(values={"message": message})

