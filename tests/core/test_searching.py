"""Searching a dish by name over the catalog snapshot: typos, accents and case forgiven, lookalikes
kept out when the name is exact, and the order: open first, nearest, best rated."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from core import dish_search
from core.catalog import Catalog
from core.errors import BadInput
from core.models import MenuItem, Restaurant
from core.quarters import delivery_fee_xaf
from core.use_cases import searching
from tests.conftest import LUNCHTIME

TZ = "Africa/Douala"


@pytest.fixture
async def catalog(db) -> Catalog:
    async with db.unit() as unit:
        return await Catalog.load(unit)


def quarter(catalog: Catalog, name: str):
    found = catalog.gazetteer.match(name)
    return catalog.quarter(catalog.quarter_ids[(found.city, found.name)])


def find(catalog: Catalog, text: str, **where):
    return searching.find_dishes(catalog, text, at=LUNCHTIME, tz=TZ, **where)


def names(found) -> set[str]:
    return {f.name_fr for f in found}


@pytest.mark.parametrize("typed", ["ndole", "Ndolé", "NDOLE", "ndoel", "ndolle", "ndol", " ndole  "])
async def test_ndole_is_found_however_it_is_typed(catalog, typed):
    found = find(catalog, typed)
    assert found and names(found) <= {"Ndole", "Ndole crevettes"} and "Ndole" in names(found)


async def test_an_exact_name_leaves_its_lookalikes_out(catalog):
    assert names(find(catalog, "koki")) == {"Koki plantain"}  # not Okok, one letter swap and a shift away
    assert names(find(catalog, "okok")) == {"Okok"}
    assert names(find(catalog, "poulet dg")) == {"Poulet DG"}


async def test_words_run_together_or_cut_short_still_find_the_dish(catalog):
    assert names(find(catalog, "pouletdg")) == {"Poulet DG"}
    assert names(find(catalog, "beign")) == {"Beignets", "Beignets haricots"}
    assert "Poisson braise" in names(find(catalog, "poison braisé"))


async def test_a_dish_nobody_serves_finds_nothing(catalog):
    assert find(catalog, "pizza") == []
    assert find(catalog, "sushi maki") == []


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "?", "é", "x" * (searching.MAX_QUERY + 1), None])
async def test_a_query_that_names_nothing_is_refused(catalog, typed):
    with pytest.raises(BadInput):
        find(catalog, typed)


async def test_open_restaurants_come_first_then_the_nearest(catalog):
    found = find(catalog, "ndole", near=quarter(catalog, "Bastos"))
    assert {catalog.restaurant(f.restaurant_id).city for f in found} == {"Yaounde"}  # near Bastos: Yaounde only
    opens = [f.open_now for f in found]
    assert opens == sorted(opens, reverse=True)
    fees = [dish_fee(f) for f in found if f.open_now]
    assert fees == sorted(fees) and found[0].restaurant == "Chez Maman Ngo"  # it is in Bastos


def dish_fee(found: searching.Found) -> int:
    return delivery_fee_xaf(found.distance_km)


async def test_the_same_delivery_fee_away_the_better_rated_comes_first(catalog):
    near = quarter(catalog, "Bastos")
    plain = [f for f in find(catalog, "ndole", near=near) if f.open_now]
    same_fee = [f for f in plain if dish_fee(f) == dish_fee(plain[-1])]
    assert len(same_fee) >= 2
    last = same_fee[-1].restaurant_id
    restaurant = catalog.restaurants[last]
    kept = restaurant.rating_total, restaurant.rating_count
    restaurant.rating_total, restaurant.rating_count = 48, 10  # as the catalog carries a restaurant's ratings
    try:
        rated = find(catalog, "ndole", near=near)
    finally:
        restaurant.rating_total, restaurant.rating_count = kept
    rated_same_fee = [f for f in rated if f.open_now and dish_fee(f) == dish_fee(plain[-1])]
    assert rated_same_fee[0].restaurant_id == last and rated_same_fee[0].rating == 4.8
    assert [f.restaurant_id for f in rated if dish_fee(f) < dish_fee(plain[-1]) and f.open_now] == \
        [f.restaurant_id for f in plain if dish_fee(f) < dish_fee(plain[-1])]  # nearer ones keep their place


async def test_a_closed_restaurant_comes_after_the_open_ones(catalog):
    found = find(catalog, "beignets")  # at lunchtime the beignets stalls (06:00-11:00) are closed
    assert any(f.open_now for f in found) and any(not f.open_now for f in found)
    assert [f.open_now for f in found] == sorted((f.open_now for f in found), reverse=True)


async def test_sold_out_dishes_and_restaurants_not_approved_are_not_found(db):
    async with db.unit() as unit:
        ndoles = list(await unit.session.scalars(select(MenuItem).where(MenuItem.name_fr == "Ndole")))
        ndoles[0].available = False
        (await unit.session.get(Restaurant, ndoles[1].restaurant_id)).status = "suspended"
        gone = {ndoles[0].id, ndoles[1].id}
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
    found = {f.item_id for f in find(catalog, "ndole")}
    assert found and not found & gone


async def test_the_index_is_built_once_per_snapshot(catalog, db):
    assert dish_search.index_of(catalog) is dish_search.index_of(catalog)
    async with db.unit() as unit:
        again = await Catalog.load(unit)
    assert dish_search.index_of(again) is not dish_search.index_of(catalog)


LETTERS = "abcdefghijklmnopqrstuvwxyz"
ACCENTED = {"e": "éèê", "a": "àâ", "o": "ô", "i": "ï", "u": "ù", "c": "ç"}


@st.composite
def mistyped(draw, dishes: list[str]) -> tuple[str, str]:
    """A dish name and the same with one typo in its longest word (a letter swapped with the next,
    wrong, missing or extra), accents dropped or added, and its letters in any case."""
    name = draw(st.sampled_from(dishes))
    folded = dish_search.fold(name)
    words = folded.split()
    longest = max(range(len(words)), key=lambda n: len(words[n]))
    word = words[longest]
    at = draw(st.integers(0, len(word) - 1))
    # A typo leaves 3 letters at least: under 3 nothing is forgiven (too many short words lie one letter apart).
    kind = draw(st.sampled_from(["swap", "wrong", "missing", "extra"] if len(word) > 3 else ["swap", "wrong", "extra"]))
    letter = draw(st.sampled_from(LETTERS))
    if kind == "swap":
        at = min(at, len(word) - 2)
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif kind == "wrong":
        word = word[:at] + letter + word[at + 1:]
    elif kind == "missing":
        word = word[:at] + word[at + 1:]
    else:
        word = word[:at] + letter + word[at:]
    words[longest] = word
    typed = []
    for ch in " ".join(words):
        if ch in ACCENTED and draw(st.booleans()):
            ch = draw(st.sampled_from(ACCENTED[ch]))
        typed.append(ch.upper() if draw(st.booleans()) else ch)
    return name, "".join(typed)


async def test_a_dish_name_with_one_typo_accents_and_mixed_case_is_still_found(catalog):
    dishes: dict[str, set[int]] = {}
    for item in catalog.items.values():
        if item.available and catalog.restaurant(item.restaurant_id).status == "approved":
            for name in (item.name_fr, item.name_en):
                dishes.setdefault(name, set()).add(item.id)

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
    @given(mistyped(sorted(dishes)))
    def one_typo(drawn):
        name, typed = drawn
        found = {f.item_id for f in find(catalog, typed)}
        assert found & dishes[name], f"{typed!r} did not find {name!r}"

    one_typo()
