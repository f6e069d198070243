"""Where the order goes: delivered or collected, a saved address or a new quarter and landmark."""
from core import destinations
from core.use_cases import customers
from menus.choices import Choice, Filled, Move, static_choices
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen
from menus.words import WORDS

MIN_TEXT = 3


async def fulfilment(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    return Filled(choices=static_choices(h, FULFILMENT, {}, restaurant=restaurant.name))


async def pick_fulfilment(h: Hopping, choice: Choice) -> Move:
    h.state.fulfilment = "delivery" if choice.action == "deliver" else "pickup"
    if choice.action == "pickup":
        h.state.address = None
    return Move(choice.action)


async def addresses(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    saved = await customers.saved_destinations(h.unit, h.catalog, h.account_id, city=restaurant.city)
    choices = []
    for place in saved:
        label = f"{place.quarter_text}, {place.landmark}" if place.landmark else place.quarter_text
        choices.append(Choice(label, "pick_address", destinations.fields(place)))
    choices.append(Choice(h.t(WORDS["new_address"]), "new_address"))
    return Filled(choices=choices)


async def pick_address(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_address":
        h.state.address = choice.value
    return Move(choice.action)


async def typed_address_quarter(h: Hopping, text: str) -> Move:
    if len(" ".join(text.split())) < MIN_TEXT:
        return Move(None, hint="too_short")
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    h.state.address = destinations.fields(destinations.typed(h.catalog, restaurant.city, text))
    return Move("set_quarter")


async def address_landmark(h: Hopping) -> Filled:
    return Filled(values={"quarter": (h.state.address or {}).get("quarter", "")})


async def typed_landmark(h: Hopping, text: str) -> Move:
    if len(" ".join(text.split())) < MIN_TEXT:
        return Move(None, hint="too_short")
    h.state.address = {**(h.state.address or {}), "landmark": " ".join(text.split())[:destinations.MAX_LANDMARK]}
    return Move("set_landmark")


FULFILMENT = Screen(
    name="fulfilment",
    title=N_("Delivery or pickup?"),
    options=(
        Option("deliver", N_("Deliver to me")),
        Option("pickup", N_("I collect it ({restaurant})")),
    ),
    fill=fulfilment,
    pick=pick_fulfilment,
)
ADDRESSES = Screen(name="addresses", title=N_("Deliver where?"), lists="addresses", fill=addresses, pick=pick_address)
ADDRESS_QUARTER = Screen(
    name="address_quarter", title=N_("New address"), prompt=N_("Your quarter (e.g. Biyem-Assi):"),
    typed=typed_address_quarter,
)
ADDRESS_LANDMARK = Screen(
    name="address_landmark", title=N_("Quarter: {quarter}"), prompt=N_("A landmark near you (e.g. behind Total):"),
    fill=address_landmark, typed=typed_landmark,
)
