"""Finishing an order whose mobile-money payment failed once: pay again, or pay cash instead."""
from datetime import datetime

from core import payment_retry
from core.notices import national
from core.payments import WAITING
from core.use_cases import paying
from menus.choices import Choice, Filled, Move, amount, static_choices, status_words
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen
from menus.words import MESSAGES, WORDS
from state_machines.order import OrderStatus


def offered_code(h: Hopping) -> str | None:
    """The order whose second chance the main menu offers, while its window lasts."""
    known = h.state.known.get("retry")
    if not known or h.unit.now() >= datetime.fromisoformat(known[1]):
        return None
    return known[0]


async def pay_again(h: Hopping) -> Filled:
    try:
        chance = await paying.second_chance(h.unit, account_id=h.account_id, code=h.state.order_code)
    except payment_retry.NoOffer:
        h.state.known.pop("retry", None)  # gone since the menu showed it: the engine goes home
        raise
    order = chance.order
    values = {
        "code": order.code, "total": amount(h, order.total_xaf), "minutes": chance.minutes_left,
        "method": h.t(WORDS[order.payment_method]),
    }
    facts = {"is_delivery": order.fulfilment == "delivery", "is_pickup": order.fulfilment == "pickup"}
    return Filled(values=values, choices=static_choices(h, PAY_AGAIN, facts, **values))


async def pick_pay_again(h: Hopping, choice: Choice) -> Move:
    h.state.known.pop("retry", None)  # answered (or gone): the main menu stops offering it
    asked = {"account_id": h.account_id, "code": h.state.order_code, "window_s": h.payment_window_s}
    try:
        if choice.action == "try_again":
            prompted = await paying.try_again(h.unit, **asked)
            h.after_commit.extend(prompted.wakes)  # the new prompt goes out once this hop has answered
        else:
            await paying.pay_cash(h.unit, **asked)
    except payment_retry.NoOffer:
        pass  # the closing screen says what became of the order
    return Move(choice.action)


async def paid_again(h: Hopping) -> Filled:
    """Read from the order as it stands, so that a replayed hop shows the same truth."""
    order = await h.chosen_order()
    restaurant = h.catalog.restaurant(order.restaurant_id)
    values = {"code": order.code, "restaurant": restaurant.name, "total": amount(h, order.total_xaf)}
    latest = await paying.payment_of(h.unit, order)
    if order.status == OrderStatus.AWAITING_PAYMENT.value and latest is not None and latest.status in WAITING:
        message = h.t(MESSAGES["placed_mobile"], phone=national(latest.payer_phone or h.hop.phone), **values)
    elif order.status == OrderStatus.PENDING_RESTAURANT.value and order.payment_method == "cash":
        message = h.t(MESSAGES["placed_cash" if order.fulfilment == "delivery" else "placed_pickup"], **values)
    elif order.status == OrderStatus.AWAITING_PAYMENT.value or order.cancelled_by == "payment":
        message = h.t(MESSAGES["pay_again_lapsed"], code=order.code)
    else:
        message = h.t(MESSAGES["order_status"], code=order.code, status=status_words(h, order.status))
    return Filled(values={"message": message})


PAY_AGAIN = Screen(
    name="pay_again",
    title=N_("Order {code}: the payment of {total} did not go through. {minutes} min left to choose:"),
    options=(
        Option("try_again", N_("Try {method} again")),
        Option("pay_cash", N_("Cash on delivery"), shown_if="is_delivery"),
        Option("pay_cash", N_("Cash at the counter"), shown_if="is_pickup"),
    ),
    fill=pay_again,
    pick=pick_pay_again,
)
PAID_AGAIN = Screen(name="paid_again", title="{message}", end=True, fill=paid_again)
