"""The customer's own things: home, past orders, cancelling, reordering, language, help."""

from channels.dialogs import second_chance
from menus.browsing.places import saved_quarters
from channels.dialogs.checkout import basket_quote, payment_line
from core import destinations
from core.errors import ChopbarError, NotFound
from core.order_views import OrderView
from core.use_cases import customers, ordering
from menus.choices import Choice, Filled, Move, amount, line_names, status_words
from menus.hopping import Hopping
from menus.screens import fills, picks, static_choices
from menus.words import MESSAGES
from state_machines.order import can_be_cancelled_by_customer

MAX_LISTED_ORDERS = 20


async def learn_history(h: Hopping) -> None:
    """Once per session: the last order, its second chance to pay, and saved quarters the menus offer."""
    h.state.known = {"started": 1}
    if h.account_id is None:
        return
    history = await ordering.history(h.unit, h.account_id)
    h.state.known["near"] = await saved_quarters(h)
    if history.retry_until is not None:  # kept with its deadline: the main menu needs no database to show it
        h.state.known["retry"] = [history.last.code, history.retry_until.isoformat()]
    last = history.last
    if last is not None:
        first = last.lines[0]
        h.state.known["last"] = [last.code, first.name_en, first.name_fr, last.restaurant_id]


@fills("home")
async def home(h: Hopping) -> Filled:
    last = h.state.known.get("last")
    label = ""
    if last is not None:
        code, name_en, name_fr, restaurant_id = last
        restaurant = h.catalog.restaurant(restaurant_id)
        label = f"{name_fr if h.state.language == 'fr' else name_en} ({restaurant.name})"
    retry_code = second_chance.offered_code(h)
    facts = {"can_resume": h.resumable is not None, "has_past_order": last is not None, "has_retry_offer": retry_code is not None}
    return Filled(choices=static_choices(h, facts, last_order=label, retry_code=retry_code))


@picks("home")
async def pick_home(h: Hopping, choice: Choice) -> Move:
    if choice.action == "resume":
        saved = h.resumable or {}
        for key in ("restaurant_id", "lines", "fulfilment", "address", "payment", "payer", "city", "quarter_id"):
            setattr(h.state, key, saved.get(key))
        h.state.lines = h.state.lines or []
        return Move("resume")
    if choice.action == "finish_order":
        h.state.order_code = second_chance.offered_code(h)
        return Move("finish_order") if h.state.order_code else Move(None, hint="wrong_key")
    if choice.action == "reorder":
        known = h.state.known.get("last")
        last = await ordering.customer_order(h.unit, h.account_id, known[0]) if known else None
        if last is None:
            return Move(None, hint="no_orders")
        await load_reorder(h, last)
        return Move("reorder")
    return Move(choice.action)


async def load_reorder(h: Hopping, last: OrderView) -> None:
    """The basket, place and payment of a past order, ready to confirm in one key."""
    h.state.restaurant_id = last.restaurant_id
    h.state.lines = [[l.item_id, l.quantity, [o["id"] for o in l.options]] for l in last.lines]
    h.state.fulfilment = last.fulfilment
    h.state.payment = last.payment_method if last.payment_method in h.payment_methods else "cash"
    h.state.payer = last.payer_phone if h.state.payment != "cash" else None
    h.state.reorder_of = last.code
    where = destinations.of_order(h.catalog, last)
    h.state.address = destinations.fields(where) if where is not None else None


@fills("reorder")
async def reorder(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    try:
        priced = basket_quote(h)
    except ChopbarError:  # a dish left the menu: the customer changes the basket instead
        return Filled(values={"restaurant": restaurant.name, "lines": "-", "total": "-", "payment": ""},
                      choices=static_choices(h, {})[1:])
    values = {
        "restaurant": restaurant.name, "lines": line_names(h, priced.lines),
        "total": amount(h, priced.total_xaf), "payment": payment_line(h),
    }
    return Filled(values=values, choices=static_choices(h, {}))


@fills("placed")
async def placed(h: Hopping) -> Filled:
    order = h.placed or await ordering.customer_order(h.unit, h.account_id, h.state.order_code)
    if order is None:
        raise NotFound(f"no order {h.state.order_code}")
    restaurant = h.catalog.restaurant(order.restaurant_id)
    if order.payment_method == "cash":
        text = MESSAGES["placed_cash" if order.fulfilment == "delivery" else "placed_pickup"]
    else:
        text = MESSAGES["placed_mobile"]
    message = h.t(
        text, code=order.code, restaurant=restaurant.name, total=amount(h, order.total_xaf),
        phone=order.payer_phone,
    )
    return Filled(values={"message": message})


@fills("orders")
async def my_orders(h: Hopping) -> Filled:
    found = await ordering.orders_of(h.unit, h.account_id, limit=MAX_LISTED_ORDERS) if h.account_id else []
    choices = [Choice(f"{o.code} {status_words(h, o.status)}", "pick_order", o.code) for o in found]
    return Filled(choices=choices)


@picks("orders")
async def pick_order(h: Hopping, choice: Choice) -> Move:
    h.state.order_code = choice.value
    return Move("pick_order")


@fills("order_detail")
async def order_detail(h: Hopping) -> Filled:
    order = await ordering.customer_order(h.unit, h.account_id, h.state.order_code)
    if order is None:
        raise NotFound(f"no order {h.state.order_code}")
    restaurant = h.catalog.restaurant(order.restaurant_id)
    values = {
        "code": order.code, "restaurant": restaurant.name, "status": status_words(h, order.status),
        "total": amount(h, order.total_xaf),
    }
    return Filled(values=values, choices=static_choices(h, {"can_cancel": can_be_cancelled_by_customer(order.status)}))


@fills("cancel_confirm")
async def cancel_confirm(h: Hopping) -> Filled:
    return Filled(values={"code": h.state.order_code}, choices=static_choices(h, {}))


@picks("cancel_confirm")
async def pick_cancel(h: Hopping, choice: Choice) -> Move:
    if choice.action != "confirm_cancel":
        return Move(choice.action)
    cancelled = await ordering.cancel(h.unit, h.state.order_code, account_id=h.account_id, language=h.state.language,
                                      reason="cancelled on " + h.hop.channel)
    return Move("confirm_cancel") if cancelled.done else Move("keep", hint="not_cancellable")


@fills("cancelled")
async def cancelled(h: Hopping) -> Filled:
    shown = await ordering.cancellation(h.unit, h.state.order_code, account_id=h.account_id, language=h.state.language)
    message = shown.notice
    if shown.restaurant_told:
        message = f"{message} {h.t(MESSAGES['restaurant_told'])}"
    return Filled(values={"message": message})


@fills("language")
async def language(h: Hopping) -> Filled:
    return Filled(choices=static_choices(h, {}))


@picks("language")
async def pick_language(h: Hopping, choice: Choice) -> Move:
    account = await h.account()
    await customers.choose_language(h.unit, account.id, choice.action)
    h.state.language = choice.action
    return Move(choice.action)


@fills("help")
async def help_screen(h: Hopping) -> Filled:
    return Filled(values={"code": h.ussd_code})


@fills("goodbye")
async def goodbye(h: Hopping) -> Filled:
    return Filled()
