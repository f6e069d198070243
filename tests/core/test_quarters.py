"""Quarters: every spelling people type finds its quarter, near typos too; fees by distance."""
import pytest

from core.quarters import Gazetteer, delivery_fee_xaf, distance_km, load_quarters

QUARTERS = load_quarters()
GAZETTEER = Gazetteer(QUARTERS)


def test_the_bundled_list_has_both_cities():
    assert {q.city for q in QUARTERS} == {"Yaounde", "Douala"} and len(QUARTERS) >= 80


def test_every_alias_finds_its_own_quarter_in_its_city():
    for q in QUARTERS:
        for alias in (q.name, *q.aliases):
            assert GAZETTEER.match(alias, city=q.city) == q, alias


@pytest.mark.parametrize(
    "typed,city,name",
    [("Biyem Assi", None, "Biyem-Assi"), ("biyemasi", None, "Biyem-Assi"), ("BASTOS", None, "Bastos"),
     ("carrefour bastos", None, "Bastos"), ("Ngoa-Ekélé", None, "Ngoa-Ekelle"), ("makepé", None, "Makepe"),
     ("bonamousadi", None, "Bonamoussadi"), ("nlonkak", None, "Nlongkak"), ("bonaberri", None, "Bonaberi"),
     ("Madagascar", "Douala", "Madagascar")],
)
def test_spellings_and_near_typos(typed, city, name):
    found = GAZETTEER.match(typed, city=city)
    assert found is not None and found.name == name and (city is None or found.city == city)


@pytest.mark.parametrize("typed", ["Zzyzx", "ab", "", "   "])
def test_unknown_or_too_short_text_matches_nothing(typed):
    assert GAZETTEER.match(typed) is None


def test_the_fee_is_500_plus_100_per_started_km_of_road():
    assert delivery_fee_xaf(0) == 500
    assert delivery_fee_xaf(0.1) == 600  # 0.13 km of road: one started km
    assert delivery_fee_xaf(1 / 1.3) == 600  # exactly 1 km of road
    assert delivery_fee_xaf(2) == 800  # 2.6 km of road: three started km
    bastos = next(q for q in QUARTERS if q.name == "Bastos")
    essos = next(q for q in QUARTERS if q.name == "Essos")
    assert 3 < distance_km(bastos.lat, bastos.lon, essos.lat, essos.lon) < 4.5
