"""The tablet's side of the SMS console's new keywords: AUTO, the day's report, a pickup collected."""
import pytest

from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_api_shopping import keyed

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
OTHER_OWNER = "+237699100003"  # Saveurs d'Essos


async def place(chopbar, key: str, **changes) -> dict:
    customer = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), **changes}
    answer = await chopbar.post("/api/v1/orders", json=body, headers=keyed(customer, key))
    assert answer.status == 201, await answer.text()
    return await answer.json()


async def test_the_owner_turns_auto_on_and_the_next_order_is_accepted_at_once(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    owner = await sign_in(chopbar, OWNER)
    turned = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/auto-accept", json={"on": True, "minutes": 35},
                               headers=bearer(owner))
    assert turned.status == 200 and await turned.json() == {"on": True, "minutes": 35}
    order = await place(chopbar, "auto-1")
    assert (order["status"], order["ready_in_minutes"]) == ("ACCEPTED", 35)
    off = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/auto-accept", json={"on": False}, headers=bearer(owner))
    assert await off.json() == {"on": False, "minutes": 35}
    assert (await place(chopbar, "auto-2"))["status"] == "PENDING_RESTAURANT"


@pytest.mark.parametrize("body", [{}, {"on": "perhaps"}, {"on": True, "minutes": 2}, {"on": True, "minutes": 999}])
async def test_a_bad_auto_request_is_a_400_naming_the_field(chopbar, body):
    restaurant_id, _ = await menu_item(chopbar)
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/auto-accept", json=body, headers=bearer(owner))
    assert answer.status == 400
    assert (await answer.json())["error"]["code"] == "bad_input"


async def test_staff_and_other_restaurants_may_not_set_auto_or_read_the_report(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    for phone in (STAFF, OTHER_OWNER, demo.CUSTOMER_FR.phone):
        tokens = await sign_in(chopbar, phone)
        auto = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/auto-accept", json={"on": True}, headers=bearer(tokens))
        assert auto.status == 403, phone
        assert "owner or manager" in (await auto.json())["error"]["message"]
        report = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/report", headers=bearer(tokens))
        assert report.status == 403, phone


async def test_the_report_counts_the_days_orders_takings_and_best_dish(chopbar):
    served = await place(chopbar, "r-1")
    await place(chopbar, "r-2", payment_method="cash")
    staff = await sign_in(chopbar, STAFF)
    assert (await chopbar.post(f"/api/v1/orders/{served['code']}/accept", json={}, headers=bearer(staff))).status == 200
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.get(f"/api/v1/restaurants/{served['restaurant_id']}/report", headers=bearer(owner))
    assert answer.status == 200
    report = await answer.json()
    food = served["subtotal_xaf"]
    assert (report["orders"], report["served"], report["total_xaf"]) == (2, 1, food)
    assert report["takings_xaf"] == {"cash": food, "mtn": 0, "orange": 0, "card": 0}
    assert report["best_dish"]["quantity"] == 2 and report["day"] == "2026-11-24"


@pytest.mark.parametrize("day,status", [("2026-11-23", 200), ("2026-11-25", 400), ("24/11/2026", 400), ("2020-01-01", 400)])
async def test_the_report_of_another_day(chopbar, day, status):
    restaurant_id, _ = await menu_item(chopbar)
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/report", params={"day": day}, headers=bearer(owner))
    assert answer.status == status, await answer.text()
    if status == 200:
        assert (await answer.json())["orders"] == 0


async def test_a_pickup_is_collected_once_and_settled(chopbar):
    order = await place(chopbar, "p-1", fulfilment="pickup", address=None)
    staff = await sign_in(chopbar, STAFF)
    code = order["code"]
    for change, body in (("accept", {}), ("ready", None)):
        assert (await chopbar.post(f"/api/v1/orders/{code}/{change}", json=body, headers=bearer(staff))).status == 200
    first = await chopbar.post(f"/api/v1/orders/{code}/collected", headers=bearer(staff))
    assert first.status == 200 and (await first.json())["status"] == "COMPLETED"
    again = await chopbar.post(f"/api/v1/orders/{code}/collected", headers=bearer(staff))
    assert again.status == 200 and (await again.json())["status"] == "COMPLETED"


async def test_a_delivery_is_not_collected_and_another_restaurant_cannot_collect(chopbar):
    order = await place(chopbar, "p-2")
    staff = await sign_in(chopbar, STAFF)
    code = order["code"]
    for change, body in (("accept", {}), ("ready", None)):
        assert (await chopbar.post(f"/api/v1/orders/{code}/{change}", json=body, headers=bearer(staff))).status == 200
    refused = await chopbar.post(f"/api/v1/orders/{code}/collected", headers=bearer(staff))
    assert refused.status == 409 and (await refused.json())["error"]["code"] == "illegal_transition"
    other = await sign_in(chopbar, OTHER_OWNER)
    assert (await chopbar.post(f"/api/v1/orders/{code}/collected", headers=bearer(other))).status == 403
