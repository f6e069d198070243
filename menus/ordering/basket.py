"""The basket of the session as the use cases take it, its price, and the screen that shows it."""
from core import destinations
from core.orders import Destination, LineRequest, Quote
from core.use_cases import ordering
from menus.browsing.restaurants import to_menu
from menus.choices import Choice, Filled, Move, amount, static_choices
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen


def basket_lines(h: Hopping) -> tuple[LineRequest, ...]:
    return tuple(LineRequest(item_id, quantity, tuple(options)) for item_id, quantity, options in h.state.lines)


def destination(h: Hopping) -> Destination | None:
    if h.state.fulfilment != "delivery" or not h.state.address:
        return None
    return destinations.kept(h.catalog, h.state.address)


def basket(h: Hopping) -> ordering.Basket:
    return ordering.Basket(
        restaurant_id=h.state.restaurant_id, lines=basket_lines(h), destination=destination(h),
        payment_method=h.state.payment or "cash", payer_phone=h.state.payer, promo_code=h.state.promo,
        points=h.state.points,
    )


def basket_quote(h: Hopping) -> Quote:
    """The basket priced from the catalog snapshot, less the offer of the moment; placing the
    order prices it again (and checks a promo code)."""
    return ordering.price(h.catalog, basket(h), at=h.now(), tz=h.tz)


async def basket_screen(h: Hopping) -> Filled:
    if not h.state.lines:
        return Filled(values={"count": 0, "subtotal": amount(h, 0)}, choices=static_choices(h, BASKET, {})[1:])
    priced = basket_quote(h)
    count = sum(line.quantity for line in priced.lines)
    return Filled(
        values={"count": count, "subtotal": amount(h, priced.subtotal_xaf)}, choices=static_choices(h, BASKET, {})
    )


async def pick_in_basket(h: Hopping, choice: Choice) -> Move:
    if choice.action == "empty":
        h.state.lines, h.state.address, h.state.fulfilment = [], None, None
        return Move("empty")
    if choice.action == "checkout" and not h.state.lines:
        return Move(None, hint="basket_empty")
    if choice.action == "add_more":
        return to_menu(h, "add_more")
    return Move(choice.action)


BASKET = Screen(
    name="basket",
    title=N_("Basket: {count} item(s), {subtotal}"),
    options=(
        Option("checkout", N_("Checkout")),
        Option("add_more", N_("Add more")),
        Option("empty", N_("Empty basket")),
    ),
    fill=basket_screen,
    pick=pick_in_basket,
)
