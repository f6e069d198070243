"""Stars as numbers and words: averages, what USSD shows, the drivers' prior, the reply grammar,
and dispatch ranking equally placed drivers by their ratings."""
from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st

from core.delivery import DispatchRules, Fleet
from core.feedback import Stars
from core.formatting import gsm7_safe, sms_segments
from core.i18n import translate
from core import rating_notices
from core.ratings import PRIOR_STARS, average, driver_score, shown, titled
from menus.rating_reply import meant_as_rating, read


def test_an_average_is_none_before_the_first_rating_then_one_decimal():
    assert average(0, 0) is None and shown(0, 0) == ""
    assert average(23, 5) == 4.6 and shown(23, 5) == "4.6*"
    assert shown(4, 1) == "4.0*"
    assert titled("Chez Maman Ngo", 23, 5) == "Chez Maman Ngo 4.6* (5)" and titled("Chez Maman Ngo", 0, 0) == "Chez Maman Ngo"


@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_an_average_stays_between_the_lowest_and_the_highest_stars(stars):
    mean = average(sum(stars), len(stars))
    assert min(stars) - 0.05 <= mean <= max(stars) + 0.05


def test_a_new_driver_scores_the_prior_and_one_bad_rating_does_not_sink_them():
    assert driver_score(0, 0) == PRIOR_STARS
    assert driver_score(5, 1) > driver_score(0, 0) > driver_score(1, 1) > driver_score(40, 20)  # 20 ratings of 2
    assert driver_score(1, 1) > 3  # one angry customer
    assert driver_score(500, 100) > driver_score(5, 1)  # a long good record beats one good rating


@pytest.mark.parametrize("reply,stars", [
    ("5", Stars(5, None, "")),
    ("4 3", Stars(4, 3, "")),
    ("4 cold food", Stars(4, None, "cold food")),
    ("4 3 cold food", Stars(4, 3, "cold food")),
    ("  4/5   très bon ", Stars(4, None, "très bon")),
    ("NOTE 2, livreur en retard", Stars(2, None, "livreur en retard")),
    ("note: 4 3, plat froid", Stars(4, 3, "plat froid")),
    ("Rate 5*", Stars(5, None, "")),
])
def test_a_reply_reads_as_the_restaurant_s_stars_then_the_driver_s_then_a_comment(reply, stars):
    assert read(reply) == stars and meant_as_rating(reply)


@pytest.mark.parametrize("reply", ["0", "7", "10", "45 minutes late", "NOTE", "NOTE bien"])
def test_a_number_or_the_keyword_that_does_not_read_is_meant_as_a_rating_and_gets_help(reply):
    assert read(reply) is None and meant_as_rating(reply)


@pytest.mark.parametrize("reply", ["hello", "MENU", "NOTES 4", "merci 5"])
def test_other_texts_are_not_ratings(reply):
    assert read(reply) is None and not meant_as_rating(reply)


TYPICAL = {"code": "482137", "restaurant": "Le Braiseur de Mvog-Mbi", "stars": "4", "driver": "3", "hours": "48"}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", ["ASK_DELIVERY", "ASK_PICKUP", "THANKS_BOTH", "THANKS", "HELP", "NONE_WAITING",
                                  "ALREADY", "CLOSED"])
def test_each_rating_text_fits_one_gsm7_segment(name, language):
    filled = gsm7_safe(translate(getattr(rating_notices, name), language, **TYPICAL))
    assert sms_segments(filled) == ("gsm7", 1), f"{name} ({language}, {len(filled)} chars): {filled}"


def _driver(account_id: int, total: int, count: int, zone=("Bastos",)):
    return SimpleNamespace(account_id=account_id, city="Yaounde", zone=list(zone), max_active_jobs=1,
                           rating_total=total, rating_count=count)


def test_dispatch_offers_equally_placed_drivers_better_rated_first_and_a_new_one_before_a_poor_record():
    restaurant = SimpleNamespace(city="Yaounde", lat=3.89, lon=11.51, quarter=SimpleNamespace(name="Bastos"))
    job = SimpleNamespace(offered_to=[], order=SimpleNamespace(payment_method="mtn"))
    drivers = [_driver(1, 40, 20), _driver(2, 1, 1), _driver(3, 0, 0), _driver(4, 50, 10), _driver(5, 50, 10, zone=("Etoudi",))]
    home = (3.89, 11.51)
    fleet = Fleet(drivers, busy={}, cash={}, homes={d.account_id: home for d in drivers})
    ranked = [d.account_id for d in fleet.available(job, restaurant, DispatchRules())]
    assert ranked == [4, 3, 2, 1, 5]  # the out-of-zone one stays last, whatever their stars


def test_dispatch_still_offers_the_nearer_driver_first_whatever_the_stars():
    restaurant = SimpleNamespace(city="Yaounde", lat=3.89, lon=11.51, quarter=SimpleNamespace(name="Bastos"))
    job = SimpleNamespace(offered_to=[], order=SimpleNamespace(payment_method="mtn"))
    near, far = _driver(1, 1, 1), _driver(2, 500, 100)
    fleet = Fleet([far, near], busy={}, cash={}, homes={1: (3.89, 11.51), 2: (3.80, 11.51)})  # 10 km apart
    assert [d.account_id for d in fleet.available(job, restaurant, DispatchRules())] == [1, 2]
