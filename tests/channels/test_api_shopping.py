"""Shopping from the app: a cart priced from the menu, checkout, reorder, and paying by MoMo or card."""
import asyncio

from sqlalchemy import func, select

from channels.keys import DATABASE, PAYMENTS, SIM_PAYMENTS
from core.models import Cart, Order, Payment
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body


def keyed(tokens: dict, key: str) -> dict:
    return {**bearer(tokens), "Idempotency-Key": key}


async def settle(chopbar) -> None:
    """Runs the web process's payment jobs until nothing is left, callbacks arriving in between."""
    book, jobs = chopbar.app[SIM_PAYMENTS], chopbar.app[PAYMENTS]
    for _ in range(4):
        await book.drain()
        while await jobs.run():
            await book.drain()


async def test_a_cart_is_priced_checked_out_and_emptied_in_one_order(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    put = await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": item_id, "quantity": 2}]},
                            headers=bearer(tokens))
    cart = await put.json()
    assert put.status == 200 and cart["ready"] and cart["subtotal_xaf"] == 2 * cart["lines"][0]["unit_price_xaf"]
    line = {"restaurant_id": restaurant_id, "item_id": item_id}
    added = await (await chopbar.post("/api/v1/cart/lines", json=line, headers=keyed(tokens, "add-1"))).json()
    retried = await (await chopbar.post("/api/v1/cart/lines", json=line, headers=keyed(tokens, "add-1"))).json()
    assert [l["quantity"] for l in added["lines"]] == [l["quantity"] for l in retried["lines"]] == [2, 1]
    placed = await chopbar.post("/api/v1/cart/checkout", json={"address": {"quarter": "bastos", "landmark": "Face Total"}},
                                headers=keyed(tokens, "cart-1"))
    order = await placed.json()
    assert placed.status == 201 and order["subtotal_xaf"] == added["subtotal_xaf"] and order["quarter"] == "Bastos"
    assert order["delivery_fee_xaf"] >= 500
    emptied = await (await chopbar.get("/api/v1/cart", headers=bearer(tokens))).json()
    assert emptied["lines"] == [] and emptied["restaurant_id"] is None
    replay = await chopbar.post("/api/v1/cart/checkout", json={"address": {"quarter": "bastos", "landmark": "Face Total"}},
                                headers=keyed(tokens, "cart-1"))
    assert replay.status == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert (await replay.json())["code"] == order["code"]


async def test_a_cart_refuses_what_is_not_on_the_menu_and_a_second_restaurant(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    wrong = await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": 999999}]},
                              headers=bearer(tokens))
    assert wrong.status == 400 and "not on the menu" in (await wrong.json())["error"]["message"]
    too_many = await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": item_id, "quantity": 500}]},
                                 headers=bearer(tokens))
    assert too_many.status == 400 and "lines.0.quantity" in (await too_many.json())["error"]["message"]
    await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": item_id}]}, headers=bearer(tokens))
    other = [r for r in (await (await chopbar.get("/api/v1/restaurants")).json())["items"] if r["id"] != restaurant_id][0]
    clash = await chopbar.post("/api/v1/cart/lines", json={"restaurant_id": other["id"], "item_id": item_id},
                               headers=keyed(tokens, "other"))
    assert clash.status == 409
    assert (await chopbar.delete("/api/v1/cart", headers=bearer(tokens))).status == 204
    empty = await chopbar.post("/api/v1/cart/checkout", json={"fulfilment": "pickup"}, headers=keyed(tokens, "empty"))
    assert empty.status == 400 and (await empty.json())["error"]["message"] == "the cart is empty"


async def test_checkout_without_a_key_is_refused_and_places_nothing(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": item_id}]}, headers=bearer(tokens))
    refused = await chopbar.post("/api/v1/cart/checkout", json={"fulfilment": "pickup"}, headers=bearer(tokens))
    assert refused.status == 400 and "Idempotency-Key" in (await refused.json())["error"]["message"]
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(Order.id))) == 0
        assert await unit.session.scalar(select(func.count(Cart.id))) == 1


async def test_the_same_key_for_another_request_is_a_conflict(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    first = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "k"))
    assert first.status == 201
    other = {**order_body(restaurant_id, item_id), "fulfilment": "pickup"}
    clash = await chopbar.post("/api/v1/orders", json=other, headers=keyed(tokens, "k"))
    assert clash.status == 409 and (await clash.json())["error"]["code"] == "idempotency_key_reused"


async def test_a_failed_request_frees_its_key_for_the_corrected_one(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    bad = {**order_body(restaurant_id, item_id), "address": None}
    assert (await chopbar.post("/api/v1/orders", json=bad, headers=keyed(tokens, "fix-me"))).status == 400
    good = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "fix-me"))
    assert good.status == 201


async def test_reorder_places_the_same_dishes_to_the_same_place(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    first = await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "a"))).json()
    again = await chopbar.post(f"/api/v1/orders/{first['code']}/reorder", json={}, headers=keyed(tokens, "b"))
    second = await again.json()
    assert again.status == 201 and second["code"] != first["code"]
    assert (second["lines"], second["total_xaf"], second["quarter"]) == (first["lines"], first["total_xaf"], first["quarter"])
    stranger = await sign_in(chopbar, "+237677000011")
    refused = await chopbar.post(f"/api/v1/orders/{first['code']}/reorder", json={}, headers=keyed(stranger, "c"))
    assert refused.status == 404


async def test_a_momo_order_paid_from_another_number_started_from_the_app(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "payment_method": "mtn"}
    order = await (await chopbar.post("/api/v1/orders", json=body, headers=keyed(tokens, "m1"))).json()
    assert order["status"] == "AWAITING_PAYMENT"
    started = await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={"payer_phone": "677 12 34 56"},
                                 headers=keyed(tokens, "p1"))
    payment = await started.json()
    assert started.status == 202 and payment["payer_phone"] == "+237677123456" and payment["method"] == "mtn"
    await settle(chopbar)
    asked = await (await chopbar.get("/sim/payments", params={"phone": "+237677123456"})).json()
    assert [a["amount"] for a in asked] == [order["total_xaf"]]
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(chopbar)
    paid = await (await chopbar.get(f"/api/v1/orders/{order['code']}/payment", headers=bearer(tokens))).json()
    assert paid["status"] == "SUCCEEDED"
    assert (await (await chopbar.get(f"/api/v1/orders/{order['code']}", headers=bearer(tokens))).json())["status"] == "PENDING_RESTAURANT"
    again = await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={}, headers=keyed(tokens, "p2"))
    assert again.status == 409


async def test_a_card_payment_gets_its_client_secret_and_is_confirmed_by_stripe(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "payment_method": "card"}
    order = await (await chopbar.post("/api/v1/orders", json=body, headers=keyed(tokens, "c1"))).json()
    started = await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={}, headers=keyed(tokens, "s1"))
    payment = await started.json()
    assert started.status == 202 and payment["client_secret"] and payment["status"] == "PENDING"
    again = await (await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={}, headers=keyed(tokens, "s2"))).json()
    assert again["client_secret"] == payment["client_secret"]  # the same PaymentIntent, not a second one
    async with chopbar.app[DATABASE].unit() as unit:
        stored = await unit.session.scalar(select(Payment).where(Payment.reference == payment["reference"]))
    confirm = await chopbar.post(f"/sim/stripe/v1/payment_intents/{stored.provider_reference}/confirm",
                                 headers={"Authorization": "Bearer sk_test_app"})
    assert confirm.status == 200  # what Stripe's SDK does with the client secret
    await chopbar.post(f"/sim/payments/{stored.provider_reference}/approve")
    await settle(chopbar)
    paid = await (await chopbar.get(f"/api/v1/orders/{order['code']}/payment", headers=bearer(tokens))).json()
    assert paid["status"] == "SUCCEEDED" and paid["client_secret"] is None


async def test_payment_starts_are_limited_to_three_in_five_minutes(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "payment_method": "mtn"}
    order = await (await chopbar.post("/api/v1/orders", json=body, headers=keyed(tokens, "o"))).json()
    answers = [await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={}, headers=keyed(tokens, f"s{i}"))
               for i in range(4)]
    assert [a.status for a in answers] == [202, 202, 202, 429]
    assert int(answers[-1].headers["Retry-After"]) > 0


async def test_a_cash_order_has_nothing_to_start(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    order = await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "x"))).json()
    refused = await chopbar.post(f"/api/v1/orders/{order['code']}/payment", json={}, headers=keyed(tokens, "y"))
    assert refused.status == 409 and "cash" in (await refused.json())["error"]["message"]


async def test_racing_retries_with_one_key_place_one_order(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    answers = await asyncio.gather(*(
        chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "race"))
        for _ in range(5)
    ))
    statuses = sorted(a.status for a in answers)
    assert set(statuses) <= {201, 409} and statuses.count(201) >= 1
    codes = {(await a.json())["code"] for a in answers if a.status == 201}
    assert len(codes) == 1
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(Order.id))) == 1
