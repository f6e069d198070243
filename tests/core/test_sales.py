"""The sales figures of a restaurant's console: orders placed at known times, paid by known
methods, accepted after known waits, and the report and its CSV and charts that come of them."""
import csv
import io
from datetime import date, datetime, timezone

import pytest

from core.errors import BadInput, NotFound
from core.use_cases import sales
from tests.conftest import LUNCHTIME
from tests.sales import TZ, a_week, dishes, sell



@pytest.fixture
async def week(db, clock):
    return await a_week(db, clock)


async def test_seven_days_count_orders_takings_methods_dishes_waits_hours_and_days(db, week):
    restaurant_id, ndole, poulet = week
    report = await sales.sales(db, restaurant_id, tz=TZ, period="7d")
    n, p = ndole.price_xaf, poulet.price_xaf
    assert (report.first_day, report.last_day) == (date(2026, 11, 18), date(2026, 11, 24))
    assert (report.orders, report.served) == (5, 4)  # the rejected one reached it, and was not served
    assert report.takings_xaf == {"cash": n, "mtn": 3 * p, "orange": 2 * n, "card": n}
    assert report.total_xaf == 4 * n + 3 * p
    assert report.served_by_method == {"cash": 1, "mtn": 1, "orange": 1, "card": 1}
    assert report.average_basket_xaf == (2 * (4 * n + 3 * p) + 4) // 8
    assert [(d.name_en, d.quantity, d.takings_xaf) for d in report.best] == [
        (ndole.name_en, 4, 4 * n), (poulet.name_en, 3, 3 * p)]
    assert (report.accepted, report.accept_median_s, report.accept_p90_s) == (4, 90, 600)  # waits 30, 60, 120, 600 s
    assert report.by_hour[19] == 1 and report.by_hour[12] == 4 and sum(report.by_hour) == 5
    assert report.busiest_hour == 12
    assert [(d.day.day, d.orders, d.served, d.takings_xaf) for d in report.by_day] == [
        (18, 1, 1, n), (19, 0, 0, 0), (20, 0, 0, 0), (21, 0, 0, 0), (22, 1, 1, 3 * p), (23, 0, 0, 0), (24, 3, 2, 3 * n)]


async def test_thirty_days_reach_back_to_the_order_of_eight_days_ago(db, week):
    restaurant_id, ndole, poulet = week
    report = await sales.sales(db, restaurant_id, tz=TZ, period="30d")
    assert (report.first_day, len(report.by_day)) == (date(2026, 10, 26), 30)
    assert (report.orders, report.served, report.takings_xaf["cash"]) == (6, 5, 6 * ndole.price_xaf)
    assert report.best[0].quantity == 9 and report.accept_median_s == 60  # waits 30, 45, 60, 120, 600 s
    today = await sales.sales(db, restaurant_id, tz=TZ)
    assert (today.period, today.orders, today.served, today.total_xaf) == ("today", 3, 2, 3 * ndole.price_xaf)
    assert (today.accept_median_s, today.accept_p90_s) == (315, 600)


async def test_today_is_the_local_day_in_douala(db, clock):
    restaurant_id, ndole, _ = await dishes(db)
    clock.now = datetime(2026, 11, 23, 22, 50, tzinfo=timezone.utc)  # 23:50 on the 23rd in Douala: yesterday
    await sell(db, clock, ndole, 1, accept_after_s=60)
    clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 24th in Douala: today
    await sell(db, clock, ndole, 2, accept_after_s=60)
    clock.now = LUNCHTIME
    report = await sales.sales(db, restaurant_id, tz=TZ)
    assert (report.orders, report.total_xaf, report.by_hour[0], report.by_hour[23]) == (1, 2 * ndole.price_xaf, 1, 0)
    week = await sales.sales(db, restaurant_id, tz=TZ, period="7d")
    assert [d.orders for d in week.by_day][-2:] == [1, 1] and week.by_hour[23] == 1


async def test_a_quiet_period_has_zeros_and_no_wait_nor_busiest_hour(db):
    restaurant_id, _, _ = await dishes(db)
    report = await sales.sales(db, restaurant_id, tz=TZ, period="30d")
    assert (report.orders, report.served, report.total_xaf, report.average_basket_xaf) == (0, 0, 0, 0)
    assert (report.accept_median_s, report.accept_p90_s, report.busiest_hour, report.best) == (None, None, None, ())
    assert report.takings_xaf == {"cash": 0, "mtn": 0, "orange": 0, "card": 0}


async def test_an_order_still_waiting_counts_but_has_no_wait_yet(db, clock):
    restaurant_id, ndole, _ = await dishes(db)
    await sell(db, clock, ndole, 1)
    report = await sales.sales(db, restaurant_id, tz=TZ)
    assert (report.orders, report.served, report.accepted, report.accept_median_s) == (1, 0, 0, None)


async def test_a_bad_period_or_an_unknown_restaurant_is_refused(db):
    restaurant_id, _, _ = await dishes(db)
    with pytest.raises(BadInput, match="today, 7d, 30d"):
        await sales.sales(db, restaurant_id, tz=TZ, period="year")
    with pytest.raises(NotFound):
        await sales.sales(db, 987654, tz=TZ)


def test_percentiles_are_times_an_order_really_took():
    assert [sales.percentile([5], 0.9), sales.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)] == [5, 9]
    assert sales.percentile(list(range(1, 12)), 0.9) == 10


async def test_the_csv_has_the_same_figures(db, week):
    restaurant_id, ndole, poulet = week
    report = await sales.sales(db, restaurant_id, tz=TZ, period="7d")
    text = sales.sales_csv(report, "fr")
    assert text.splitlines()[0] == "figure,key,value"
    rows = [(r["figure"], r["key"], r["value"]) for r in csv.DictReader(io.StringIO(text))]
    assert ("takings_xaf", "", str(report.total_xaf)) in rows and ("orders", "", "5") in rows
    assert ("average_basket_xaf", "", str(report.average_basket_xaf)) in rows
    assert ("accept_median_s", "", "90") in rows and ("accept_p90_s", "", "600") in rows
    assert ("method_takings_xaf", "mtn", str(3 * poulet.price_xaf)) in rows and ("method_served", "card", "1") in rows
    assert ("dish_quantity", ndole.name_fr, "4") in rows and ("dish_takings_xaf", poulet.name_fr, str(3 * poulet.price_xaf)) in rows
    assert ("hour_orders", "12", "4") in rows and ("hour_orders", "19", "1") in rows
    assert ("day_takings_xaf", "2026-11-22", str(3 * poulet.price_xaf)) in rows and ("day_orders", "2026-11-19", "0") in rows
    assert len([r for r in rows if r[0] == "hour_orders"]) == 24 and len([r for r in rows if r[0] == "day_served"]) == 7


async def test_the_csv_of_a_quiet_day_leaves_the_waits_blank(db):
    restaurant_id, _, _ = await dishes(db)
    quiet = sales.sales_csv(await sales.sales(db, restaurant_id, tz=TZ), "en").splitlines()
    assert "accept_median_s,," in quiet and "takings_xaf,,0" in quiet and "hour_orders,12,0" in quiet
