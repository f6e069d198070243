"""Where to look for food: a saved quarter, a city, or a quarter typed in; or a dish searched by name."""
from core import places as saved_places
from core.i18n import N_
from menus.choices import Choice, Filled, Move
from menus.hopping import Hopping
from menus.screen import Screen
from menus.words import WORDS

MAX_SAVED_PLACES = 2


async def saved_quarters(h: Hopping) -> list[list]:
    """[[quarter id, name], ...] of the person's latest addresses, newest first."""
    return await saved_places.saved_quarters(h.unit, h.account_id, MAX_SAVED_PLACES)


async def places(h: Hopping) -> Filled:
    near = h.state.known.get("near", [])
    choices = [Choice(h.t(WORDS["near"], quarter=name), "pick_place", ["near", qid]) for qid, name in near]
    choices += [Choice(city, "pick_place", ["city", city]) for city in h.catalog.cities()]
    choices.append(Choice(h.t(WORDS["type_quarter"]), "type_quarter"))
    choices.append(Choice(h.t(WORDS["search_dish"]), "search_dish"))
    choices.append(Choice(h.t(WORDS["popular_now"]), "popular"))  # last: what neighbours order at this hour
    return Filled(choices=choices)


async def pick_place(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_place":
        kind, value = choice.value
        if kind == "near":
            quarter = h.catalog.quarter(value)
            h.state.city, h.state.quarter_id = quarter.city, quarter.id
        else:
            h.state.city, h.state.quarter_id = value, None
    elif choice.action == "popular" and h.state.known.get("near"):
        h.state.quarter_id = h.state.known["near"][0][0]  # the caller's own quarter, the latest they used
        h.state.city = h.catalog.quarter(h.state.quarter_id).city
    return Move(choice.action)


async def typed_quarter(h: Hopping, text: str) -> Move:
    found = h.catalog.gazetteer.match(text)
    if found is None:
        return Move(None, hint="unknown_quarter")
    h.state.city, h.state.quarter_id = found.city, h.catalog.quarter_ids[(found.city, found.name)]
    return Move("quarter_found")


PLACES = Screen(
    name="places", title=N_("Where should we look?"), lists="places", fill=places, pick=pick_place,
    cached_by=lambda h: tuple(qid for qid, _ in h.state.known.get("near", [])),
)
QUARTER_INPUT = Screen(
    name="quarter_input", title=N_("Restaurants near you"), prompt=N_("Type your quarter (e.g. Bastos):"),
    typed=typed_quarter,
)
