"""A restaurant's sales over REST: the figures of the console's sales page, and their CSV."""
import csv
import io

import pytest

from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_console import OTHER_OWNER, OWNER, STAFF, place


async def test_the_owner_reads_a_weeks_sales_with_the_time_to_accept(chopbar, clock):
    served = await place(chopbar, "s-1")
    await place(chopbar, "s-2")
    clock.advance(seconds=90)
    staff = await sign_in(chopbar, STAFF)
    assert (await chopbar.post(f"/api/v1/orders/{served['code']}/accept", json={}, headers=bearer(staff))).status == 200
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.get(f"/api/v1/restaurants/{served['restaurant_id']}/sales", params={"period": "7d"},
                               headers=bearer(owner))
    assert answer.status == 200, await answer.text()
    figures = await answer.json()
    food = served["subtotal_xaf"]
    assert (figures["first_day"], figures["last_day"], len(figures["by_day"])) == ("2026-11-18", "2026-11-24", 7)
    assert (figures["orders"], figures["served"], figures["total_xaf"], figures["average_basket_xaf"]) == (2, 1, food, food)
    assert figures["by_method"]["cash"] == {"takings_xaf": food, "served": 1}
    assert figures["by_method"]["mtn"] == {"takings_xaf": 0, "served": 0}
    assert (figures["accepted"], figures["accept_median_s"], figures["accept_p90_s"]) == (1, 90, 90)
    assert figures["busiest_hour"] == 12 and figures["orders_by_hour"][12] == 2 and len(figures["orders_by_hour"]) == 24
    assert figures["best_dishes"][0]["quantity"] == 2 and figures["best_dishes"][0]["takings_xaf"] == food
    assert figures["by_day"][-1] == {"day": "2026-11-24", "orders": 2, "served": 1, "takings_xaf": food}


async def test_the_csv_download_has_the_same_figures(chopbar):
    order = await place(chopbar, "s-3")
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.get(f"/api/v1/restaurants/{order['restaurant_id']}/sales.csv", params={"period": "30d"},
                               headers=bearer(owner))
    assert answer.status == 200 and answer.content_type == "text/csv"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="sales-{order["restaurant_id"]}-30d-2026-11-24.csv"'
    rows = list(csv.reader(io.StringIO(await answer.text())))
    assert rows[0] == ["figure", "key", "value"] and ["orders", "", "1"] in rows and ["served", "", "0"] in rows
    assert len([r for r in rows if r[0] == "day_orders"]) == 30


async def test_staff_other_restaurants_and_customers_may_not_read_the_sales(chopbar):
    order = await place(chopbar, "s-4")
    for phone in (STAFF, OTHER_OWNER, demo.CUSTOMER_FR.phone):
        tokens = await sign_in(chopbar, phone)
        for path in ("sales", "sales.csv"):
            answer = await chopbar.get(f"/api/v1/restaurants/{order['restaurant_id']}/{path}", headers=bearer(tokens))
            assert answer.status == 403, (phone, path)


@pytest.mark.parametrize("params", [{"period": "year"}, {"period": "7"}, {"language": "de"}])
async def test_a_bad_period_or_language_is_a_400(chopbar, params):
    order = await place(chopbar, "s-5")
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.get(f"/api/v1/restaurants/{order['restaurant_id']}/sales.csv", params=params,
                               headers=bearer(owner))
    assert answer.status == 400 and (await answer.json())["error"]["code"] == "bad_input"
