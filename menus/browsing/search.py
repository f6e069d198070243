"""Search a dish: the caller types a dish's name (typos forgiven), gets the dishes found, best
first, and picking one opens that dish at its restaurant as browsing would (its options, then how
many), so the order goes on the one way there is."""
from core.errors import BadInput
from core.use_cases import searching
from menus.choices import Choice, Filled, Move, name_of, price
from menus.hopping import Hopping
from menus.screen import N_, Screen
from menus.words import WORDS


def _near(h: Hopping):
    """Where the caller is: the quarter chosen in this session, else their latest address's."""
    saved = h.state.known.get("near") or []
    return h.catalog.quarter(h.state.quarter_id or (saved[0][0] if saved else None))


def _found(h: Hopping, query: str | None) -> list[searching.Found]:
    return searching.find_dishes(h.catalog, query, at=h.now(), tz=h.tz, near=_near(h))


async def typed_dish(h: Hopping, text: str) -> Move:
    try:
        found = _found(h, text)
    except BadInput:
        return Move(None, hint="bad_search")
    if not found:
        return Move(None, hint="no_dish_found")
    h.state.query = searching.check_query(text)
    return Move("found_dishes")


async def results(h: Hopping) -> Filled:
    choices = []
    for f in _found(h, h.state.query):
        label = f"{name_of(f, h.state.language)} {price(h, f.price_xaf)} {f.restaurant}"
        if not f.open_now:
            label = f"{name_of(f, h.state.language)} {f.restaurant} ({h.t(WORDS['closed'])})"
        choices.append(Choice(label, "pick_dish", f.item_id, refusal=None if f.open_now else "closed"))
    return Filled(values={"query": h.state.query}, choices=choices)


async def pick_found(h: Hopping, choice: Choice) -> Move:
    item = h.catalog.dish(choice.value)
    restaurant = h.catalog.restaurant(item.restaurant_id)
    if h.state.restaurant_id != restaurant.id:
        h.state.lines = []  # a basket holds the dishes of one restaurant
        h.state.address = None
    near = _near(h)
    h.state.city, h.state.quarter_id = restaurant.city, near.id if near is not None and near.city == restaurant.city else None
    h.state.restaurant_id, h.state.category_id = restaurant.id, item.category_id
    h.state.item_id, h.state.group, h.state.picked = item.id, 0, []
    return Move("pick_dish")


DISH_SEARCH = Screen(
    name="dish_search", title=N_("Search a dish"), prompt=N_("Type the dish you want (e.g. ndole):"), typed=typed_dish,
)
DISH_RESULTS = Screen(
    name="dish_results", title=N_("Found for {query}:"), lists="results", fill=results, pick=pick_found,
)
