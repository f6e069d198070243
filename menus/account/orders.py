"""The customer's past orders, one order's detail, and cancelling it while that is still allowed."""
from core.use_cases import ordering
from menus.choices import Choice, Filled, Move, amount, static_choices, status_words
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen
from menus.words import MESSAGES
from state_machines.order import can_be_cancelled_by_customer

MAX_LISTED_ORDERS = 20


async def my_orders(h: Hopping) -> Filled:
    found = await ordering.orders_of(h.unit, h.account_id, limit=MAX_LISTED_ORDERS) if h.account_id else []
    choices = [Choice(f"{o.code} {status_words(h, o.status)}", "pick_order", o.code) for o in found]
    return Filled(choices=choices)


async def pick_order(h: Hopping, choice: Choice) -> Move:
    h.state.order_code = choice.value
    return Move("pick_order")


async def order_detail(h: Hopping) -> Filled:
    order = await h.chosen_order()
    restaurant = h.catalog.restaurant(order.restaurant_id)
    values = {
        "code": order.code, "restaurant": restaurant.name, "status": status_words(h, order.status),
        "total": amount(h, order.total_xaf),
    }
    facts = {"can_cancel": can_be_cancelled_by_customer(order.status)}
    return Filled(values=values, choices=static_choices(h, ORDER_DETAIL, facts))


async def cancel_confirm(h: Hopping) -> Filled:
    return Filled(values={"code": h.state.order_code}, choices=static_choices(h, CANCEL_CONFIRM, {}))


async def pick_cancel(h: Hopping, choice: Choice) -> Move:
    if choice.action != "confirm_cancel":
        return Move(choice.action)
    cancelled = await ordering.cancel(h.unit, h.state.order_code, account_id=h.account_id, language=h.state.language,
                                      reason="cancelled on " + h.hop.channel)
    return Move("confirm_cancel") if cancelled.done else Move("keep", hint="not_cancellable")


async def cancelled(h: Hopping) -> Filled:
    shown = await ordering.cancellation(h.unit, h.state.order_code, account_id=h.account_id, language=h.state.language)
    message = shown.notice
    if shown.restaurant_told:
        message = f"{message} {h.t(MESSAGES['restaurant_told'])}"
    return Filled(values={"message": message})


ORDERS = Screen(name="orders", title=N_("My orders:"), lists="orders", fill=my_orders, pick=pick_order)
ORDER_DETAIL = Screen(
    name="order_detail",
    title=N_("Order {code} {restaurant}\n{status}\nTotal {total}"),
    options=(Option("cancel_order", N_("Cancel this order"), shown_if="can_cancel"),),
    fill=order_detail,
)
CANCEL_CONFIRM = Screen(
    name="cancel_confirm",
    title=N_("Cancel order {code}?"),
    options=(Option("confirm_cancel", N_("Yes, cancel it")), Option("keep", N_("No, keep it"))),
    fill=cancel_confirm,
    pick=pick_cancel,
)
CANCELLED = Screen(name="cancelled", title="{message}", end=True, fill=cancelled)
