"""From basket to order: delivery or pickup, the address, payment, the summary, placing it."""
from sqlalchemy import select

from menus.choices import Choice, Filled, Move, amount, line_names
from menus.screens import fills, picks, static_choices, types
from menus.hopping import Hopping
from menus.browsing.restaurants import to_menu
from core.errors import ChopbarError
from core.models import Address
from core.orders import Destination, LineRequest, Placement, Quote, place_order, price_basket
from core.payments import ensure_payment
from core.phones import operator_of, to_e164
from menus.words import WORDS

MIN_TEXT = 3
MAX_SAVED_ADDRESSES = 3


def basket_lines(h: Hopping) -> list[LineRequest]:
    return [LineRequest(item_id, quantity, tuple(options)) for item_id, quantity, options in h.state.lines]


def destination(h: Hopping) -> Destination | None:
    if h.state.fulfilment != "delivery" or not h.state.address:
        return None
    a = h.state.address
    return Destination(
        city=a["city"], quarter_text=a["quarter"], landmark=a.get("landmark", ""), quarter_id=a.get("quarter_id"),
        lat=a.get("lat"), lon=a.get("lon"), address_id=a.get("id"),
    )


def basket_quote(h: Hopping) -> Quote:
    """The basket priced from the catalog snapshot; placing the order prices it again."""
    return price_basket(h.catalog.restaurant(h.state.restaurant_id), h.catalog.items, basket_lines(h), destination(h))


@fills("basket")
async def basket(h: Hopping) -> Filled:
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


def address_dict(address: Address, quarter) -> dict:
    return {
        "id": address.id, "city": address.city, "quarter": address.quarter_text, "quarter_id": address.quarter_id,
        "landmark": address.landmark, "lat": quarter.lat if quarter else address.lat,
        "lon": quarter.lon if quarter else address.lon,
    }


@fills("addresses")
async def addresses(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    saved = await h.unit.session.scalars(
        select(Address)
        .where(Address.account_id == h.account_id, Address.city == restaurant.city)
        .order_by(Address.last_used_at.desc())
        .limit(MAX_SAVED_ADDRESSES)
    )
    choices = []
    for address in saved:
        label = f"{address.quarter_text}, {address.landmark}" if address.landmark else address.quarter_text
        choices.append(Choice(label, "pick_address", address.id))
    choices.append(Choice(h.t(WORDS["new_address"]), "new_address"))
    return Filled(choices=choices)


@picks("addresses")
async def pick_address(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_address":
        address = await h.unit.session.get(Address, choice.value)
        h.state.address = address_dict(address, h.catalog.quarter(address.quarter_id))
    return Move(choice.action)


@types("address_quarter")
async def typed_address_quarter(h: Hopping, text: str) -> Move:
    text = " ".join(text.split())
    if len(text) < MIN_TEXT:
        return Move(None, hint="too_short")
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    found = h.catalog.gazetteer.match(text, city=restaurant.city)
    if found is None:  # kept as typed: the driver asks the way, support can add the quarter
        h.state.address = {"city": restaurant.city, "quarter": text[:80]}
    else:
        h.state.address = {
            "city": found.city, "quarter": found.name, "quarter_id": h.catalog.quarter_ids[(found.city, found.name)],
            "lat": found.lat, "lon": found.lon,
        }
    return Move("set_quarter")


@fills("address_landmark")
async def address_landmark(h: Hopping) -> Filled:
    return Filled(values={"quarter": (h.state.address or {}).get("quarter", "")})


@types("address_landmark")
async def typed_landmark(h: Hopping, text: str) -> Move:
    text = " ".join(text.split())
    if len(text) < MIN_TEXT:
        return Move(None, hint="too_short")
    h.state.address = {**(h.state.address or {}), "landmark": text[:120]}
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
    placement = Placement(
        customer=await h.account(), restaurant_id=h.state.restaurant_id, lines=basket_lines(h),
        payment_method=h.state.payment or "cash", channel=h.hop.channel, language=h.state.language,
        destination=destination(h), payer_phone=h.state.payer, origin_key=h.origin_key,
    )
    try:  # place_order checks everything before it writes: a refusal leaves nothing behind
        order = await place_order(h.unit, placement, tz=h.tz, catalog=h.catalog)
    except ChopbarError:
        return Move(None, hint="order_failed")
    h.state.order_code, h.placed = order.code, order
    if order.address_id is None:
        order.address_id = await remember_address(h)
    await ensure_payment(h.unit, order, window_s=h.payment_window_s)
    if order.payment_method != "cash":
        h.after_commit.append("payments")  # the prompt goes out once this hop has answered
    return Move("confirm")


async def remember_address(h: Hopping) -> int | None:
    """A new address is saved for next time; a saved one moves to the top of the list."""
    a = h.state.address
    if h.state.fulfilment != "delivery" or not a:
        return None
    now = h.unit.now()
    if a.get("id"):
        saved = await h.unit.session.get(Address, a["id"])
        saved.last_used_at = now
        return saved.id
    saved = Address(
        account_id=(await h.account()).id, city=a["city"], quarter_id=a.get("quarter_id"), quarter_text=a["quarter"],
        landmark=a.get("landmark", ""), lat=a.get("lat"), lon=a.get("lon"), created_at=now, last_used_at=now,
    )
    h.unit.session.add(saved)
    await h.unit.session.flush()
    a["id"] = saved.id
    return saved.id
