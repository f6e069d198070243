"""Loyalty in the app over HTTP: the balance and tier, points spent on a quote and an order, two
spends of the same points at once, points back on a cancel, invitations."""
import asyncio

from channels.keys import DATABASE
from core import ledger
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.loyalty import give_points, points_of
from tests.sms import inbox

CUSTOMER = demo.CUSTOMER_FR.phone


async def test_my_loyalty_shows_balance_tier_and_movements(chopbar):
    account_id = await give_points(chopbar, CUSTOMER, 400)
    tokens = await sign_in(chopbar, CUSTOMER)
    mine = await (await chopbar.get("/api/v1/me/loyalty", headers=bearer(tokens))).json()
    assert mine["points"] == 400 and mine["worth_xaf"] == 400 * mine["point_value_xaf"]
    assert mine["tier"]["name_en"] == "Bronze" and mine["next_tier"]["name_fr"] == "Argent"
    assert [m["kind"] for m in mine["movements"]] == ["opening"]
    assert await points_of(chopbar, account_id) == 400


async def test_points_come_off_the_quote_and_the_order_and_back_on_a_cancel(chopbar):
    account_id = await give_points(chopbar, CUSTOMER, 300)
    tokens = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "points": 200}
    quote = await (await chopbar.post("/api/v1/orders/quote", json=body, headers=bearer(tokens))).json()
    assert quote["points_spent"] == 200 and quote["points_xaf"] == 1000
    assert quote["total_xaf"] == quote["subtotal_xaf"] + quote["delivery_fee_xaf"] - 1000
    assert await points_of(chopbar, account_id) == 300  # a quote takes nothing
    placed = await chopbar.post("/api/v1/orders", json=body, headers={**bearer(tokens), "Idempotency-Key": "pts-1"})
    order = await placed.json()
    assert placed.status == 201 and (order["points_spent"], order["total_xaf"]) == (200, quote["total_xaf"])
    assert await points_of(chopbar, account_id) == 100
    await chopbar.post(f"/api/v1/orders/{order['code']}/cancel", headers=bearer(tokens))
    assert await points_of(chopbar, account_id) == 300


async def test_two_orders_spending_the_same_points_at_once_only_one_gets_them(chopbar):
    account_id = await give_points(chopbar, CUSTOMER, 250)
    tokens = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "points": 200}
    answers = await asyncio.gather(*(
        chopbar.post("/api/v1/orders", json=body, headers={**bearer(tokens), "Idempotency-Key": f"race-{n}"}) for n in range(2)
    ))
    assert sorted(a.status for a in answers) == [201, 400]
    refused = next(a for a in answers if a.status == 400)
    assert (await refused.json())["error"]["code"] == "not_enough_points"
    assert await points_of(chopbar, account_id) == 50


async def test_bad_points_get_a_clear_400(chopbar):
    await give_points(chopbar, CUSTOMER, 150)
    tokens = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    for points, code in ((50, "bad_input"), (500, "not_enough_points"), (-1, "bad_input")):
        answer = await chopbar.post("/api/v1/orders/quote", json={**order_body(restaurant_id, item_id), "points": points},
                                    headers=bearer(tokens))
        assert answer.status == 400 and (await answer.json())["error"]["code"] == code


async def test_an_invitation_sends_the_friend_one_sms_and_repeats_are_refused(chopbar):
    tokens = await sign_in(chopbar, CUSTOMER)
    sent = await chopbar.post("/api/v1/me/invitations", json={"phone": "6 77 12 34 56"},
                              headers={**bearer(tokens), "Idempotency-Key": "inv-1"})
    assert sent.status == 201 and (await sent.json())["phone"] == "+237677123456"
    texts = await inbox(chopbar, "+237677123456")
    assert len(texts) == 1 and "Chopbar" in texts[0] and "points" in texts[0]
    for number in ("677123456", CUSTOMER, demo.CUSTOMER_EN.phone, "12"):
        again = await chopbar.post("/api/v1/me/invitations", json={"phone": number},
                                   headers={**bearer(tokens), "Idempotency-Key": f"inv-{number}"})
        assert again.status == 400, number
