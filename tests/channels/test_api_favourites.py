"""Favourites, the usual order and what is popular in a quarter, over the REST API, on both databases."""
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body


async def test_a_customer_marks_lists_and_unmarks_a_restaurant_and_a_dish(chopbar):
    tokens = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    restaurant_id, item_id = await menu_item(chopbar)
    empty = await chopbar.get("/api/v1/me/favourites", headers=bearer(tokens))
    assert (empty.status, await empty.json()) == (200, {"restaurants": [], "dishes": []})
    marked = await chopbar.put(f"/api/v1/me/favourites/restaurants/{restaurant_id}", headers=bearer(tokens))
    assert marked.status == 200
    again = await chopbar.put(f"/api/v1/me/favourites/restaurants/{restaurant_id}", headers=bearer(tokens))
    assert [r["name"] for r in (await again.json())["restaurants"]] == ["Chez Maman Ngo"]  # once, not twice
    dish = await (await chopbar.put(f"/api/v1/me/favourites/dishes/{item_id}", headers=bearer(tokens))).json()
    assert [(d["id"], d["restaurant_id"]) for d in dish["dishes"]] == [(item_id, restaurant_id)]
    assert dish["dishes"][0]["price_xaf"] > 0 and dish["restaurants"][0]["open_now"] is True
    gone = await chopbar.delete(f"/api/v1/me/favourites/restaurants/{restaurant_id}", headers=bearer(tokens))
    assert gone.status == 204
    left = await (await chopbar.get("/api/v1/me/favourites", headers=bearer(tokens))).json()
    assert left["restaurants"] == [] and [d["id"] for d in left["dishes"]] == [item_id]
    assert (await chopbar.delete(f"/api/v1/me/favourites/dishes/{item_id}", headers=bearer(tokens))).status == 204
    assert (await chopbar.delete(f"/api/v1/me/favourites/dishes/{item_id}", headers=bearer(tokens))).status == 204


async def test_favourites_belong_to_their_account_and_need_one(chopbar):
    restaurant_id, _ = await menu_item(chopbar)
    assert (await chopbar.put(f"/api/v1/me/favourites/restaurants/{restaurant_id}")).status == 401
    mine = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    theirs = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    await chopbar.put(f"/api/v1/me/favourites/restaurants/{restaurant_id}", headers=bearer(mine))
    other = await (await chopbar.get("/api/v1/me/favourites", headers=bearer(theirs))).json()
    assert other["restaurants"] == []


async def test_an_unknown_restaurant_or_dish_is_a_404_not_a_500(chopbar):
    tokens = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    for path in ("/api/v1/me/favourites/restaurants/999999", "/api/v1/me/favourites/dishes/999999",
                 "/api/v1/me/favourites/dishes/abc"):
        answer = await chopbar.put(path, headers=bearer(tokens))
        assert answer.status == 404, path
        assert (await answer.json())["error"]["code"] == "not_found"


async def test_the_usual_is_the_basket_ordered_twice_and_is_reordered_like_any_order(chopbar):
    tokens = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    none = await chopbar.get("/api/v1/me/usual", headers=bearer(tokens))
    assert none.status == 404
    restaurant_id, item_id = await menu_item(chopbar)
    codes = []
    for key in ("usual-1", "usual-2"):
        placed = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                    headers={**bearer(tokens), "Idempotency-Key": key})
        codes.append((await placed.json())["code"])
    usual = await (await chopbar.get("/api/v1/me/usual", headers=bearer(tokens))).json()
    assert usual["order_code"] == codes[-1] and usual["times"] == 2 and usual["restaurant"] == "Chez Maman Ngo"
    assert [(l["item_id"], l["quantity"]) for l in usual["lines"]] == [(item_id, 2)]
    again = await chopbar.post(f"/api/v1/orders/{usual['order_code']}/reorder", json={},
                               headers={**bearer(tokens), "Idempotency-Key": "usual-3"})
    assert again.status == 201


async def test_popular_lists_what_a_quarters_orders_held_at_this_hour(chopbar, clock):
    restaurant_id, item_id = await menu_item(chopbar)
    for n, phone in enumerate(("+237699555101", "+237699555102")):
        tokens = await sign_in(chopbar, phone)
        placed = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),  # to Bastos
                                    headers={**bearer(tokens), "Idempotency-Key": f"popular-{n}"})
        assert placed.status == 201
    found = await chopbar.get("/api/v1/popular", params={"quarter": "bastos"})
    assert found.status == 200
    body = await found.json()
    assert body["quarter"] == "Bastos" and body["city"] == "Yaounde" and body["hour"] == 12  # 11:30 UTC is 12:30 here
    assert [(d["id"], d["restaurant"], d["orders"]) for d in body["dishes"]] == [(item_id, "Chez Maman Ngo", 2)]
    elsewhere = await (await chopbar.get("/api/v1/popular", params={"quarter": "Biyem-Assi"})).json()
    assert elsewhere["dishes"] == []


async def test_popular_in_an_unknown_quarter_is_a_clear_400(chopbar):
    answer = await chopbar.get("/api/v1/popular", params={"quarter": "Nowhereville"})
    assert answer.status == 400
    assert "unknown quarter" in (await answer.json())["error"]["message"]
    assert (await chopbar.get("/api/v1/popular")).status == 400
