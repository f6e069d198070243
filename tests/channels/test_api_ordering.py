"""Ordering from the app: one order per Idempotency-Key, accepted by SMS and seen live, roles kept."""
import asyncio

from sqlalchemy import func, select

from channels.keys import DATABASE
from core.models import Order
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.sms import text


async def menu_item(chopbar) -> tuple[int, int]:
    found = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    restaurant_id = found["items"][0]["id"]
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    dish = next(d for d in menu["dishes"] if d["available"] and not d["option_groups"])
    return restaurant_id, dish["id"]


def order_body(restaurant_id: int, item_id: int) -> dict:
    return {"restaurant_id": restaurant_id, "lines": [{"item_id": item_id, "quantity": 2}], "fulfilment": "delivery",
            "address": {"quarter": "Bastos", "landmark": "Face Total"}, "payment_method": "cash"}


async def test_a_replayed_idempotency_key_creates_one_order(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    headers = {**bearer(tokens), "Idempotency-Key": "app-retry-1"}
    first = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=headers)
    again = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert (await first.json())["code"] == (await again.json())["code"]
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(Order.id)).where(Order.channel == "app")) == 1


async def test_an_app_order_accepted_by_sms_is_seen_live_over_websocket(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    placed = await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                       headers={**bearer(tokens), "Idempotency-Key": "k2"})).json()
    code = placed["code"]
    socket = await chopbar.ws_connect(f"/api/v1/orders/{code}/ws", headers=bearer(tokens))
    assert (await asyncio.wait_for(socket.receive_json(), 5))["status"] == "PENDING_RESTAURANT"
    await text(chopbar, demo.ALL_DAY_YAOUNDE.phone, f"OUI {code} 20")
    assert (await asyncio.wait_for(socket.receive_json(), 5))["status"] == "ACCEPTED"
    await text(chopbar, demo.ALL_DAY_YAOUNDE.phone, f"PRET {code}")
    assert (await asyncio.wait_for(socket.receive_json(), 5))["status"] == "READY"
    await socket.close()


async def test_a_restaurant_cannot_accept_another_restaurants_order(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                      headers={**bearer(tokens), "Idempotency-Key": "k3"})).json())["code"]
    other = await sign_in(chopbar, "+237699100003")  # Saveurs d'Essos' console
    refused = await chopbar.post(f"/api/v1/orders/{code}/accept", json={}, headers=bearer(other))
    assert refused.status == 403
    own = await sign_in(chopbar, demo.ALL_DAY_YAOUNDE.phone)
    accepted = await chopbar.post(f"/api/v1/orders/{code}/accept", json={"minutes": 15}, headers=bearer(own))
    assert accepted.status == 200 and (await accepted.json())["status"] == "ACCEPTED"


async def test_the_customer_cancels_in_the_app_before_acceptance(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                      headers={**bearer(tokens), "Idempotency-Key": "k4"})).json())["code"]
    cancelled = await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(tokens))
    assert (await cancelled.json())["status"] == "CANCELLED"
    stranger = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    assert (await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(stranger))).status == 404


async def test_bad_orders_get_clear_4xx(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    no_key = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=bearer(tokens))
    assert no_key.status == 400
    for body in ({"restaurant_id": "x"}, {"restaurant_id": restaurant_id, "lines": []},
                 {**order_body(restaurant_id, item_id), "address": None}, {**order_body(999999, item_id)},
                 {**order_body(restaurant_id, item_id), "payment_method": "gold"}):
        response = await chopbar.post("/api/v1/orders", json=body, headers={**bearer(tokens), "Idempotency-Key": "bad"})
        assert 400 <= response.status < 500, body
        assert "error" in await response.json()


async def test_an_app_polling_an_order_gets_304_until_it_changes(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                      headers={**bearer(tokens), "Idempotency-Key": "poll"})).json())["code"]
    first = await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(tokens))
    tag = first.headers["ETag"]
    same = await chopbar.get(f"/api/v1/orders/{code}", headers={**bearer(tokens), "If-None-Match": tag})
    assert same.status == 304
    await text(chopbar, demo.ALL_DAY_YAOUNDE.phone, f"OUI {code} 20")
    changed = await chopbar.get(f"/api/v1/orders/{code}", headers={**bearer(tokens), "If-None-Match": tag})
    assert changed.status == 200 and (await changed.json())["status"] == "ACCEPTED"
