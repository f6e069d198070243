"""The restaurant's tablet: its orders, sold-out dishes and prices, options, hours, closing for now."""
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_api_shopping import keyed

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
OTHER_OWNER = "+237699100003"  # Saveurs d'Essos


async def test_the_restaurant_sees_its_pending_orders_and_accepts_one(chopbar):
    customer = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "1"))).json())["code"]
    staff = await sign_in(chopbar, STAFF)
    pending = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/orders", headers=bearer(staff))).json()
    assert [o["code"] for o in pending["items"]] == [code]
    accepted = await chopbar.post(f"/api/v1/orders/{code}/accept", json={"minutes": 25}, headers=bearer(staff))
    assert accepted.status == 200 and (await accepted.json())["ready_in_minutes"] == 25
    assert (await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/orders", headers=bearer(staff))).json())["items"] == []
    active = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/orders", params={"status": "active"},
                                      headers=bearer(staff))).json()
    assert [o["status"] for o in active["items"]] == ["ACCEPTED"]


async def test_another_restaurant_or_a_customer_cannot_read_or_change_it(chopbar):
    restaurant_id, item_id = await menu_item(chopbar)
    for phone in (OTHER_OWNER, demo.CUSTOMER_FR.phone):
        tokens = await sign_in(chopbar, phone)
        assert (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/orders", headers=bearer(tokens))).status == 403
        change = await chopbar.patch(f"/api/v1/restaurants/{restaurant_id}/dishes/{item_id}", json={"available": False},
                                     headers=bearer(tokens))
        assert change.status == 403
        assert (await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/close", headers=bearer(tokens))).status == 403


async def test_a_dish_sold_out_from_the_tablet_shows_on_the_menu_and_cannot_be_ordered(chopbar):
    restaurant_id, item_id = await menu_item(chopbar)
    staff = await sign_in(chopbar, STAFF)
    changed = await chopbar.patch(f"/api/v1/restaurants/{restaurant_id}/dishes/{item_id}", json={"available": False},
                                  headers=bearer(staff))
    assert changed.status == 200 and (await changed.json())["available"] is False
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    assert next(d for d in menu["dishes"] if d["id"] == item_id)["available"] is False
    customer = await sign_in(chopbar)
    refused = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "so"))
    assert refused.status == 400 and "sold out" in (await refused.json())["error"]["message"]


async def test_only_the_owner_changes_a_price(chopbar):
    restaurant_id, item_id = await menu_item(chopbar)
    staff, owner = await sign_in(chopbar, STAFF), await sign_in(chopbar, OWNER)
    path = f"/api/v1/restaurants/{restaurant_id}/dishes/{item_id}"
    assert (await chopbar.patch(path, json={"price_xaf": 3000}, headers=bearer(staff))).status == 403
    changed = await chopbar.patch(path, json={"price_xaf": 3000}, headers=bearer(owner))
    assert changed.status == 200 and (await changed.json())["price_xaf"] == 3000
    nothing = await chopbar.patch(path, json={}, headers=bearer(owner))
    assert nothing.status == 400


async def test_an_option_can_be_marked_unavailable(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    option = next(o for d in menu["dishes"] for g in d["option_groups"] for o in g["options"])
    staff = await sign_in(chopbar, STAFF)
    changed = await chopbar.patch(f"/api/v1/restaurants/{restaurant_id}/options/{option['id']}", json={"available": False},
                                  headers=bearer(staff))
    assert changed.status == 200 and (await changed.json())["available"] is False
    missing = await chopbar.patch(f"/api/v1/restaurants/{restaurant_id}/options/999999", json={"available": False},
                                  headers=bearer(staff))
    assert missing.status == 404


async def test_hours_replaced_by_the_owner_close_the_restaurant_outside_them(chopbar):
    restaurant_id, item_id = await menu_item(chopbar)
    owner = await sign_in(chopbar, OWNER)
    # The test clock says 12:30 in Douala on a Tuesday: evenings only means closed now.
    hours = [{"weekday": day, "opens": "18:00", "closes": "02:00"} for day in range(7)]
    put = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/hours", json={"hours": hours}, headers=bearer(owner))
    state = await put.json()
    assert put.status == 200 and state["hours"][0] == {"weekday": 0, "opens": "18:00", "closes": "02:00"}
    found = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    assert found["items"][0]["open_now"] is False
    bad = await chopbar.put(f"/api/v1/restaurants/{restaurant_id}/hours", json={"hours": [{"weekday": 7, "opens": "25:00", "closes": "x"}]},
                            headers=bearer(owner))
    assert bad.status == 400


async def test_closing_for_now_and_opening_again(chopbar):
    restaurant_id, item_id = await menu_item(chopbar)
    staff, customer = await sign_in(chopbar, STAFF), await sign_in(chopbar)
    closed = await (await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/close", headers=bearer(staff))).json()
    assert closed["paused"] is True
    refused = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "c"))
    assert refused.status == 400 and "closed" in (await refused.json())["error"]["message"]
    opened = await (await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/open", headers=bearer(staff))).json()
    assert opened["paused"] is False
    placed = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "c"))
    assert placed.status == 201
