"""Quarters: every spelling people type finds its quarter, near typos too; fees by distance."""
import math
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from core.quarters import (
    BASE_FEE_XAF, DATA, PER_KM_XAF, ROAD_FACTOR, Gazetteer, Quarter, delivery_fee_xaf, distance_km, load_quarters,
    normalize,
)

QUARTERS = load_quarters()
GAZETTEER = Gazetteer(QUARTERS)
# built-up areas from data/README.md, widened by about 5 km for the edge quarters it names
BOXES = {"Yaounde": (3.73, 4.00, 11.39, 11.65), "Douala": (3.93, 4.17, 9.58, 9.87)}


def quarter(city: str, name: str) -> Quarter:
    found = GAZETTEER.get(city, name)
    assert found is not None
    return found


def test_the_bundled_list_has_both_cities():
    assert GAZETTEER.cities() == ["Douala", "Yaounde"]
    assert len(GAZETTEER.in_city("Yaounde")) >= 40 and len(GAZETTEER.in_city("Douala")) >= 40


def test_a_city_lists_its_quarters_by_name():
    names = [q.name for q in GAZETTEER.in_city("Douala")]
    assert names == sorted(names) and "Akwa" in names and "Bastos" not in names
    assert GAZETTEER.in_city("Garoua") == []


def test_rows_are_read_with_their_types_and_aliases():
    bastos = quarter("Yaounde", "Bastos")
    assert bastos.arrondissement == "Yaounde I" and isinstance(bastos.lat, float)
    assert bastos.aliases == ("bastos", "ekoudou", "carrefour bastos") and bastos.source.startswith("osm:")
    assert quarter("Yaounde", "Mvog-Ada").arrondissement == ""  # sources disagree: left blank


def test_quarters_are_frozen_so_a_shared_gazetteer_cannot_be_changed_by_a_caller():
    with pytest.raises(AttributeError):
        quarter("Yaounde", "Bastos").lat = 0.0


def test_an_unknown_quarter_is_not_got():
    assert GAZETTEER.get("Douala", "Bastos") is None


def test_every_point_lies_in_or_at_the_edge_of_its_city():
    for q in QUARTERS:
        south, north, west, east = BOXES[q.city]
        assert south <= q.lat <= north and west <= q.lon <= east, q


def test_no_spelling_names_two_quarters_of_one_city():
    seen: dict[tuple[str, str], str] = {}
    for q in QUARTERS:
        for spelling in (q.name, *q.aliases):
            key = (q.city, normalize(spelling).replace(" ", ""))
            assert seen.setdefault(key, q.name) == q.name, (key, seen[key], q.name)


def test_every_alias_finds_its_own_quarter_in_its_city():
    for q in QUARTERS:
        for alias in (q.name, *q.aliases):
            assert GAZETTEER.match(alias, city=q.city) == q, alias


def test_every_alias_without_a_city_finds_a_quarter_of_the_same_name():
    # only Madagascar is in both cities; without a city the first in the file wins
    for q in QUARTERS:
        for alias in (q.name, *q.aliases):
            assert GAZETTEER.match(alias).name == q.name, alias


@pytest.mark.parametrize(
    "typed,city,name",
    [("Biyem Assi", None, "Biyem-Assi"), ("biyemasi", None, "Biyem-Assi"), ("BIYEM-ASSI", None, "Biyem-Assi"),
     ("BASTOS", None, "Bastos"), ("carrefour bastos", None, "Bastos"), ("Carrefour  Bastos!", None, "Bastos"),
     ("Quartier Bastos", None, "Bastos"), ("pres de Mokolo", None, "Mokolo"), ("près de Mokolo", None, "Mokolo"),
     ("vers carrefour Ndokoti", None, "Ndokoti"), ("near Akwa", None, "Akwa"), ("Ngoa-Ekélé", None, "Ngoa-Ekelle"),
     ("makepé", None, "Makepe"), ("Maképè", None, "Makepe"), ("Déïdo", None, "Deido"), ("PK 8", None, "PK8"),
     ("Madagascar", "Douala", "Madagascar"), ("Madagascar", "Yaounde", "Madagascar"),
     ("Madagascar", "douala", "Madagascar"), ("Madagascar", "Yaoundé", "Madagascar")],
)
def test_the_ways_people_write_a_quarter(typed, city, name):
    found = GAZETTEER.match(typed, city=city)
    assert found is not None and found.name == name
    assert city is None or normalize(found.city) == normalize(city)


@pytest.mark.parametrize(
    "typed,name",
    [("bonamousadi", "Bonamoussadi"), ("nlonkak", "Nlongkak"), ("bonaberri", "Bonaberi"), ("bastoss", "Bastos"),
     ("basots", "Bastos"), ("omnisprot", "Omnisport"), ("mimbomann", "Mimboman"), ("tsiinga", "Tsinga"),
     ("nkolbisonn", "Nkolbisson"), ("bonamousadie", "Bonamoussadi"), ("logbesso", "Logbessou"), ("kato", "Kotto"),
     ("deid", "Deido"), ("nsma", "Nsam"), ("gousso", "Ngousso"), ("ekounnou", "Ekounou"), ("mfandna", "Mfandena")],
)
def test_a_near_typo_finds_its_quarter(typed, name):
    found = GAZETTEER.match(typed)
    assert found is not None and found.name == name


def test_exact_spellings_win_over_near_typos():
    # "ekoudou" (Bastos' old name) is one letter from "ekounou" (Ekounou)
    assert GAZETTEER.match("ekoudou").name == "Bastos" and GAZETTEER.match("ekounou").name == "Ekounou"
    assert GAZETTEER.match("bassa").name == "Bassa" and GAZETTEER.match("yassa").name == "Yassa"


def test_a_city_restricts_the_search():
    assert GAZETTEER.match("Bastos", city="Douala") is None
    assert GAZETTEER.match("Akwa", city="Yaounde") is None
    assert GAZETTEER.match("Madagascar", city="Douala").city == "Douala"
    assert GAZETTEER.match("madagaskar", city="Douala") == quarter("Douala", "Madagascar")


@pytest.mark.parametrize(
    "typed",
    ["Zzyzx", "ab", "", "   ", "!!", "carrefour", "pres de", "Paris", "la poste", "Yaounde", "Douala",
     "bai", "bal", "mali", "moto", "pk11", "pk 13", "pk9", "komo"],
)
def test_unknown_short_or_ambiguous_text_matches_nothing(typed):
    # "mali"/"moto" are a first letter away from Bali/Koto; "komo" is as near Nkomo as Kotto
    assert GAZETTEER.match(typed) is None


def test_short_words_match_only_exactly():
    assert GAZETTEER.match("bali") == quarter("Douala", "Bali")
    assert GAZETTEER.match("awa") is None and GAZETTEER.match("akw") is None


@settings(max_examples=60)
@given(st.sampled_from([(q, a) for q in QUARTERS for a in q.aliases if len(a) >= 7]), st.data())
def test_one_typo_in_a_long_spelling_finds_its_quarter_or_nothing(pair, data):
    q, alias = pair
    key = normalize(alias).replace(" ", "")
    i = data.draw(st.integers(1, len(key) - 1))
    kind = data.draw(st.sampled_from(["drop", "double", "swap"]))
    typo = {"drop": key[:i] + key[i + 1:], "double": key[:i] + key[i] + key[i:],
            "swap": key[:i - 1] + key[i] + key[i - 1] + key[i + 1:]}[kind]
    found = GAZETTEER.match(typo, city=q.city)
    exact_elsewhere = any(normalize(s).replace(" ", "") == typo for o in QUARTERS for s in (o.name, *o.aliases))
    assert found == q or found is None or exact_elsewhere, (alias, typo, found)


@settings(max_examples=100)
@given(st.text(max_size=30), st.sampled_from([None, "Yaounde", "Douala", "Garoua"]))
def test_any_text_gives_a_quarter_of_the_asked_city_or_none(text, city):
    found = GAZETTEER.match(text, city=city)
    assert found is None or found in QUARTERS and (city is None or found.city == city)


def test_an_empty_gazetteer_knows_nothing():
    empty = Gazetteer([])
    assert empty.match("Bastos") is None and empty.cities() == [] and empty.in_city("Douala") == []


def test_another_file_can_be_loaded(tmp_path: Path):
    path = tmp_path / "q.csv"
    path.write_text(
        "city,quarter,arrondissement,lat,lon,aliases,source\n"
        "Bamenda,Nkwen,Bamenda III,5.97,10.17,nkwen|nkwen market,approx:test\n",
        encoding="utf-8",
    )
    (nkwen,) = load_quarters(path)
    assert nkwen == Quarter("Bamenda", "Nkwen", "Bamenda III", 5.97, 10.17, ("nkwen", "nkwen market"), "approx:test")
    assert Gazetteer([nkwen]).match("Nkwen Market") == nkwen


def test_the_bundled_file_is_the_default():
    assert load_quarters(DATA) == QUARTERS


def test_the_distance_between_two_known_quarters():
    bastos, essos = quarter("Yaounde", "Bastos"), quarter("Yaounde", "Essos")
    assert 3 < distance_km(bastos.lat, bastos.lon, essos.lat, essos.lon) < 4.5
    akwa, bastos = quarter("Douala", "Akwa"), quarter("Yaounde", "Bastos")
    assert 180 < distance_km(akwa.lat, akwa.lon, bastos.lat, bastos.lon) < 215


def test_one_degree_of_latitude_is_about_111_km():
    assert distance_km(3.0, 11.0, 4.0, 11.0) == pytest.approx(111.2, abs=0.1)


@settings(max_examples=60)
@given(st.sampled_from(QUARTERS), st.sampled_from(QUARTERS))
def test_distance_is_symmetric_and_zero_only_at_the_same_point(a, b):
    there = distance_km(a.lat, a.lon, b.lat, b.lon)
    assert there == pytest.approx(distance_km(b.lat, b.lon, a.lat, a.lon))
    assert (there == 0) == ((a.lat, a.lon) == (b.lat, b.lon))


@pytest.mark.parametrize(
    "straight_km,fee_xaf",
    [(0, 500), (0.0, 500), (0.1, 600), (0.5, 600), (1 / 1.3, 600), (0.77, 700), (1, 700), (2, 800),
     (10 / 1.3, 1500), (10, 1800)],
)
def test_the_fee_is_500_plus_100_per_started_km_of_road(straight_km, fee_xaf):
    # road = straight x 1.3; 0.77 km straight is 1.001 km of road, so a second km has started
    assert delivery_fee_xaf(straight_km) == fee_xaf


def test_the_fee_constants_are_those_of_the_spec():
    assert (BASE_FEE_XAF, PER_KM_XAF, ROAD_FACTOR) == (500, 100, 1.3)


@settings(max_examples=100)
@given(st.floats(min_value=0, max_value=500, allow_nan=False), st.floats(min_value=0, max_value=500, allow_nan=False))
def test_the_fee_is_a_whole_number_of_hundreds_that_never_falls_with_distance(a, b):
    near, far = sorted((a, b))
    fee = delivery_fee_xaf(near)
    assert isinstance(fee, int) and fee >= BASE_FEE_XAF and fee % PER_KM_XAF == 0
    assert fee <= delivery_fee_xaf(far)
    assert fee == BASE_FEE_XAF + PER_KM_XAF * math.ceil(round(near * ROAD_FACTOR, 6))


@pytest.mark.parametrize("bad", [-0.1, float("nan")])
def test_a_negative_or_unknown_distance_has_no_fee(bad):
    with pytest.raises(ValueError):
        delivery_fee_xaf(bad)
