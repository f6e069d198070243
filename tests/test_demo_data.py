"""The fixed demo data: enough restaurants to page, real quarters, valid phones, USSD-safe names."""
import csv
from pathlib import Path

import phonenumbers
import pytest

from chopbar.demo_data import PEOPLE, RESTAURANTS, DemoRestaurant

ROOT = Path(__file__).resolve().parents[1]
QUARTERS_CSV = ROOT / "core" / "data" / "quarters.csv"
if not QUARTERS_CSV.exists():
    QUARTERS_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "quarters.csv"

CITIES = {"Yaounde": 9, "Douala": 7}  # at least this many restaurants each


def quarters() -> set[tuple[str, str]]:
    with QUARTERS_CSV.open(encoding="utf-8") as f:
        return {(row["city"], row["quarter"]) for row in csv.DictReader(f)}


def open_all_day(r: DemoRestaurant) -> bool:
    days = {d for h in r.hours if (h.opens, h.closes) == ("00:00", "24:00") for d in h.weekdays}
    return days == set(range(7))


def dishes(r: DemoRestaurant):
    return [d for c in r.categories for d in c.dishes]


def all_phones() -> list[str]:
    phones = [p.phone for p in PEOPLE]
    for r in RESTAURANTS:
        phones += [r.phone] + ([r.backup_phone] if r.backup_phone else [])
    return phones


def names() -> list[str]:
    found = [r.name for r in RESTAURANTS] + [r.landmark for r in RESTAURANTS] + [p.name for p in PEOPLE]
    found += [p.landmark for p in PEOPLE if p.landmark]
    for r in RESTAURANTS:
        for c in r.categories:
            found += [c.name_en, c.name_fr]
            for d in c.dishes:
                found += [d.name_en, d.name_fr, d.description_en, d.description_fr]
                for g in d.option_groups:
                    found += [g.name_en, g.name_fr] + [n for o in g.options for n in (o.name_en, o.name_fr)]
    return found


@pytest.mark.parametrize("city, least", CITIES.items())
def test_each_city_has_enough_restaurants_to_page_and_exactly_one_open_around_the_clock(city, least):
    here = [r for r in RESTAURANTS if r.city == city]
    assert len(here) >= least
    assert len([r for r in here if open_all_day(r)]) == 1


def test_every_restaurant_and_person_is_in_a_known_quarter_of_its_city():
    known = quarters()
    for r in RESTAURANTS:
        assert (r.city, r.quarter) in known, r.slug
    for p in PEOPLE:
        for q in ((p.quarter,) if p.quarter else ()) + p.zone:
            assert (p.city, q) in known, (p.name, q)


def test_customers_and_drivers_cover_both_cities_and_languages():
    for city in CITIES:
        customers = [p for p in PEOPLE if p.role == "customer" and p.city == city]
        drivers = [p for p in PEOPLE if p.role == "driver" and p.city == city]
        assert len(customers) >= 2 and {p.language for p in customers} == {"fr", "en"}
        assert all(p.quarter and p.landmark for p in customers)
        assert len(drivers) >= 3 and all(len(p.zone) >= 2 for p in drivers)
    assert [p.role for p in PEOPLE].count("support") == 1 and [p.role for p in PEOPLE].count("admin") == 1
    assert {p.language for p in PEOPLE} <= {"fr", "en"}


def test_every_phone_is_a_valid_distinct_cameroon_mobile_in_e164():
    phones = all_phones()
    assert len(phones) == len(set(phones))
    for phone in phones:
        parsed = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(parsed), phone
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == phone
        assert phone.startswith("+2376") and len(phone) == 13


def test_phones_mix_mtn_and_orange_prefixes():
    mtn = ("650", "651", "652", "653", "654", "67", "680", "681", "682", "683")
    orange = ("655", "656", "657", "658", "659", "686", "687", "688", "689", "69")
    national = [p[4:] for p in all_phones()]
    assert all(n.startswith(mtn + orange) for n in national)
    assert any(n.startswith(mtn) for n in national) and any(n.startswith(orange) for n in national)


def test_slugs_are_unique_and_some_restaurants_have_a_backup_phone():
    assert len({r.slug for r in RESTAURANTS}) == len(RESTAURANTS)
    assert sum(1 for r in RESTAURANTS if r.backup_phone) >= 2


def test_every_price_is_a_positive_multiple_of_50_xaf():
    for r in RESTAURANTS:
        for d in dishes(r):
            assert isinstance(d.price_xaf, int) and d.price_xaf > 0 and d.price_xaf % 50 == 0, (r.slug, d.name_en)
            for g in d.option_groups:
                for o in g.options:
                    assert isinstance(o.price_delta_xaf, int) and o.price_delta_xaf >= 0
                    assert o.price_delta_xaf % 50 == 0, (r.slug, d.name_en, o.name_en)


def test_names_are_ascii_and_fit_a_ussd_line():
    for text in names():
        assert text.isascii(), text
    for r in RESTAURANTS:
        assert len(r.landmark) < 40, r.landmark
        for d in dishes(r):
            assert 0 < len(d.name_en) <= 22 and 0 < len(d.name_fr) <= 22, d.name_en


def test_every_menu_has_8_dishes_in_2_to_4_categories():
    for r in RESTAURANTS:
        assert 2 <= len(r.categories) <= 4, r.slug
        assert len(dishes(r)) >= 8, r.slug
        assert all(c.dishes for c in r.categories), r.slug


def test_option_groups_are_consistent():
    groups = [g for r in RESTAURANTS for d in dishes(r) for g in d.option_groups]
    assert any(g.min_choices == 1 and g.max_choices == 1 for g in groups)  # a size
    assert any(g.min_choices == 0 for g in groups)  # extras
    for g in groups:
        assert 0 <= g.min_choices <= g.max_choices <= len(g.options), g.name_en


def test_some_dishes_are_sold_out_but_every_restaurant_has_something_to_sell():
    assert 1 <= sum(1 for r in RESTAURANTS for d in dishes(r) if not d.available) <= 2
    assert all(any(d.available for d in dishes(r)) for r in RESTAURANTS)


def test_all_three_commission_tiers_appear():
    tiers = {"new" if r.completed_orders <= 100 else "regular" if r.completed_orders <= 500 else "established"
             for r in RESTAURANTS}
    assert tiers == {"new", "regular", "established"}


def test_hours_are_well_formed():
    for r in RESTAURANTS:
        assert r.hours, r.slug
        for h in r.hours:
            assert h.weekdays and set(h.weekdays) <= set(range(7))
            for hhmm in (h.opens, h.closes):
                hours, minutes = hhmm.split(":")
                assert len(hhmm) == 5 and 0 <= int(hours) <= 24 and 0 <= int(minutes) < 60
            assert h.opens != "24:00" and h.opens != h.closes
    assert any(h.closes < h.opens for r in RESTAURANTS for h in r.hours)  # a braiseur past midnight
    assert any(set().union(*(h.weekdays for h in r.hours)) != set(range(7)) for r in RESTAURANTS)  # closed a day
