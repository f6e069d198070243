"""What neighbours order now: the top dishes of a quarter around this hour, each opening the dish
in one key, and the quarter to look in when the session knows none (or another is wanted)."""
from core.use_cases import popular as popular_dishes
from core.errors import BadInput, NotFound
from menus.browsing.favourites import dish_choice, open_dish
from menus.choices import Choice, Filled, Move
from menus.hopping import Hopping
from menus.screen import N_, Screen

ANOTHER_QUARTER = N_("Another quarter")


async def popular(h: Hopping) -> Filled:
    quarter = h.catalog.quarter(h.state.quarter_id)
    if quarter is None:  # the engine answers with the main menu
        raise NotFound("no quarter to look in")
    found = await popular_dishes.popular(h.unit, h.popular, quarter.id, tz=h.tz)  # a short cache: no query most hops
    choices = [c for dish in found.dishes if (c := dish_choice(h, dish.item_id, "open_dish")) is not None]
    title = N_("Popular near {quarter} now:") if choices else N_("Nothing ordered near {quarter} at this hour yet.")
    choices.append(Choice(h.t(ANOTHER_QUARTER), "other_quarter"))
    return Filled(values={"title": h.t(title, quarter=quarter.name)}, choices=choices)


async def pick_popular(h: Hopping, choice: Choice) -> Move:
    if choice.action == "open_dish":
        return open_dish(h, choice.value)
    return Move(choice.action)


async def typed_quarter(h: Hopping, text: str) -> Move:
    try:
        quarter = popular_dishes.quarter_named(h.catalog, text)
    except BadInput:
        return Move(None, hint="unknown_quarter")
    h.state.city, h.state.quarter_id = quarter.city, quarter.id
    return Move("popular_found")


POPULAR = Screen(name="popular", title="{title}", lists="popular", fill=popular, pick=pick_popular)
POPULAR_QUARTER = Screen(
    name="popular_quarter", title=N_("Popular near you now"), prompt=N_("Type your quarter (e.g. Bastos):"),
    typed=typed_quarter,
)
