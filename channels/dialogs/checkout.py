"""From basket to order: delivery or pickup, the address, payment, the summary, placing it."""
from core import destinations
from menus.browsing.restaurants import to_menu
from menus.choices import Choice, Filled, Move, amount, line_names
from menus.hopping import Hopping
from menus.screens import fills, picks, static_choices, types
from core.errors import ChopbarError
from core.orders import Destination, LineRequest, Quote
from core.phones import operator_of, to_e164
from core.use_cases import customers, ordering
from menus.words import WORDS

MIN_TEXT = 3


def basket_lines(h: Hopping) -> tuple[LineRequest, ...]:
    return tuple(LineRequest(item_id, quantity, tuple(options)) for item_id, quantity, options in h.state.lines)


def destination(h: Hopping) -> Destination | None:
    if h.state.fulfilment != "delivery" or not h.state.address:
        return None
    return destinations.kept(h.catalog, h.state.address)


def basket(h: Hopping) -> ordering.Basket:
    return ordering.Basket(
        restaurant_id=h.state.restaurant_id, lines=basket_lines(h), destination=destination(h),
        payment_method=h.state.payment or "cash", payer_phone=h.state.payer,
    )


def basket_quote(h: Hopping) -> Quote:
    """The basket priced from the catalog snapshot; placing the order prices it again."""
    return ordering.price(h.catalog, basket(h))


@fills("basket")
async def basket_screen(h: Hopping) -> Filled:
    if not h.state.lines:
        return Filled(values={"count": 0, "subtotal": amount(h, 0)}, choices=static_choices(h, {})[1:])
    priced = basket_quote(h)
    count = sum(line.quantity for line in priced.lines)
    return Filled(values={"count": count, "subtotal": amount(h, priced.subtotal_xaf)}, choices=static_choices(h, {}))


@picks("basket")
async def pick_in_basket(h: Hopping, choice: Choice) -> Move:
    if choice.action == "empty":
        h.state.lines, h.state.address, h.state.fulfilment = [], None, None
        return Move("empty")
    if choice.action == "checkout" and not h.state.lines:
        return Move(None, hint="basket_empty")
    if choice.action == "add_more":
        return to_menu(h, "add_more")
    return Move(choice.action)


@fills("fulfilment")
async def fulfilment(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    return Filled(choices=static_choices(h, {}, restaurant=restaurant.name))


@picks("fulfilment")
async def pick_fulfilment(h: Hopping, choice: Choice) -> Move:
    h.state.fulfilment = "delivery" if choice.action == "deliver" else "pickup"
    if choice.action == "pickup":
        h.state.address = None
    return Move(choice.action)


@fills("addresses")
async def addresses(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    saved = await customers.saved_destinations(h.unit, h.catalog, h.account_id, city=restaurant.city)
    choices = []
    for place in saved:
        label = f"{place.quarter_text}, {place.landmark}" if place.landmark else place.quarter_text
        choices.append(Choice(label, "pick_address", destinations.fields(place)))
    choices.append(Choice(h.t(WORDS["new_address"]), "new_address"))
    return Filled(choices=choices)


@picks("addresses")
async def pick_address(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_address":
        h.state.address = choice.value
    return Move(choice.action)


@types("address_quarter")
async def typed_address_quarter(h: Hopping, text: str) -> Move:
    if len(" ".join(text.split())) < MIN_TEXT:
        return Move(None, hint="too_short")
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    h.state.address = destinations.fields(destinations.typed(h.catalog, restaurant.city, text))
    return Move("set_quarter")


@fills("address_landmark")
async def address_landmark(h: Hopping) -> Filled:
    return Filled(values={"quarter": (h.state.address or {}).get("quarter", "")})


@types("address_landmark")
async def typed_landmark(h: Hopping, text: str) -> Move:
    if len(" ".join(text.split())) < MIN_TEXT:
        return Move(None, hint="too_short")
    h.state.address = {**(h.state.address or {}), "landmark": " ".join(text.split())[:destinations.MAX_LANDMARK]}
    return Move("set_landmark")


def methods_for(h: Hopping) -> list[str]:
    """Mobile money first, the caller's own operator before the other (a hint: numbers move)."""
    methods = list(h.payment_methods)
    own = operator_of(h.hop.phone)
    if own in methods:
        methods.remove(own)
        methods.insert(0, own)
    return methods


@fills("payment")
async def payment(h: Hopping) -> Filled:
    priced = basket_quote(h)
    choices = []
    for method in methods_for(h):
        word = "cash_pickup" if method == "cash" and h.state.fulfilment == "pickup" else method
        choices.append(Choice(h.t(WORDS[word]), "pick_payment", method))
    return Filled(values={"total": amount(h, priced.total_xaf)}, choices=choices)


@picks("payment")
async def pick_payment(h: Hopping, choice: Choice) -> Move:
    h.state.payment, h.state.payer = choice.value, None
    return Move("pick_payment")


def method_name(h: Hopping) -> str:
    return h.t(WORDS[h.state.payment or "cash"])


@fills("payer")
async def payer(h: Hopping) -> Filled:
    return Filled(values={"method": method_name(h)}, choices=static_choices(h, {}))


@picks("payer")
async def pick_payer(h: Hopping, choice: Choice) -> Move:
    h.state.payer = h.hop.phone if choice.action == "this_number" else None
    return Move(choice.action)


@fills("payer_number")
async def payer_number(h: Hopping) -> Filled:
    return Filled(values={"method": method_name(h)})


@types("payer_number")
async def typed_payer(h: Hopping, text: str) -> Move:
    try:
        h.state.payer = to_e164(text)
    except ChopbarError:
        return Move(None, hint="bad_phone")
    return Move("set_payer")


def payment_line(h: Hopping) -> str:
    if h.state.payment in (None, "cash"):
        return h.t(WORDS["pay_cash"])
    return h.t(WORDS["pay_mobile"], method=method_name(h), phone=h.state.payer or h.hop.phone)


@fills("summary")
async def summary(h: Hopping) -> Filled:
    priced = basket_quote(h)
    fee = amount(h, priced.delivery_fee_xaf) if h.state.fulfilment == "delivery" else h.t(WORDS["pickup_fee"])
    values = {
        "lines": line_names(h, priced.lines), "subtotal": amount(h, priced.subtotal_xaf), "fee": fee,
        "total": amount(h, priced.total_xaf), "payment": payment_line(h),
    }
    return Filled(values=values, choices=static_choices(h, {}))


@picks("summary", "reorder")
async def pick_in_summary(h: Hopping, choice: Choice) -> Move:
    return await place(h) if choice.action == "confirm" else Move(choice.action)


async def place(h: Hopping) -> Move:
    """Places the basket as an order; the session id makes a replayed confirm a no-op."""
    try:  # the use case checks everything before it writes: a refusal leaves nothing behind
        placed = await ordering.place(
            h.unit, h.catalog, basket(h), channel=h.hop.channel, origin_key=h.origin_key,
            orderer=ordering.Orderer(account_id=h.account_id, phone=h.hop.phone, language=h.state.language),
            terms=ordering.Terms(tz=h.tz, payment_window_s=h.payment_window_s, default_language=h.default_language),
        )
    except ChopbarError:
        return Move(None, hint="order_failed")
    h.state.order_code, h.state.account_id, h.placed = placed.order.code, placed.account_id, placed.order
    h.after_commit.extend(placed.wakes)  # the prompt goes out once this hop has answered
    return Move("confirm")
