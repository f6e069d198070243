"""A card payment's start over REST: its Stripe client secret reaches the app, on a replay too, and
is never stored in clear."""
from sqlalchemy import select, update

from channels.keys import DATABASE
from core.models import IdempotentRequest, Payment
from tests.channels.test_api_auth import sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_api_shopping import keyed, settle


async def card_order(chopbar, tokens: dict) -> dict:
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "payment_method": "card"}
    return await (await chopbar.post("/api/v1/orders", json=body, headers=keyed(tokens, "card-order"))).json()


async def stored_answer(chopbar, key: str) -> str:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(IdempotentRequest.answer).where(IdempotentRequest.key == key))


async def test_the_client_secret_is_stored_sealed_and_a_replay_gives_it_back_to_confirm_the_card(chopbar):
    tokens = await sign_in(chopbar)
    order = await card_order(chopbar, tokens)
    path = f"/api/v1/orders/{order['code']}/payment"
    first = await (await chopbar.post(path, json={}, headers=keyed(tokens, "start-1"))).json()
    secret = first["client_secret"]
    assert secret
    stored = await stored_answer(chopbar, "start-1")
    assert secret not in stored and secret.split("_secret_")[-1] not in stored
    assert first["reference"] in stored  # the rest of the answer is kept as it was
    replay = await chopbar.post(path, json={}, headers=keyed(tokens, "start-1"))
    assert replay.status == 202 and replay.headers["Idempotent-Replayed"] == "true"
    assert await replay.json() == first
    async with chopbar.app[DATABASE].unit() as unit:
        intent = await unit.session.scalar(select(Payment.provider_reference).where(Payment.reference == first["reference"]))
    assert secret.startswith(f"{intent}_secret_")  # the PaymentIntent's own secret, as Stripe's SDK needs it
    confirm = await chopbar.post(f"/sim/stripe/v1/payment_intents/{intent}/confirm", headers={"Authorization": "Bearer sk_test_app"})
    assert confirm.status == 200
    await chopbar.post(f"/sim/payments/{intent}/approve")
    await settle(chopbar)
    paid = await (await chopbar.get(path, headers=keyed(tokens, "read"))).json()
    assert paid["status"] == "SUCCEEDED"


async def test_a_sealed_answer_that_was_altered_is_refused_on_replay_and_a_new_key_still_gets_the_secret(chopbar):
    tokens = await sign_in(chopbar)
    order = await card_order(chopbar, tokens)
    path = f"/api/v1/orders/{order['code']}/payment"
    first = await (await chopbar.post(path, json={}, headers=keyed(tokens, "start-1"))).json()
    stored = await stored_answer(chopbar, "start-1")
    tampered = stored.replace("sealed:v1:", "sealed:v1:AAAA", 1)
    async with chopbar.app[DATABASE].unit() as unit:
        await unit.session.execute(update(IdempotentRequest).where(IdempotentRequest.key == "start-1").values(answer=tampered))
    replay = await chopbar.post(path, json={}, headers=keyed(tokens, "start-1"))
    assert replay.status == 409 and (await replay.json())["error"]["code"] == "idempotency_key_reused"
    again = await (await chopbar.post(path, json={}, headers=keyed(tokens, "start-2"))).json()
    assert again["client_secret"] == first["client_secret"]  # Stripe's idempotency: the same PaymentIntent


async def test_answers_without_a_secret_are_stored_as_they_were_given(chopbar):
    tokens = await sign_in(chopbar)
    restaurant_id, item_id = await menu_item(chopbar)
    response = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(tokens, "cash"))
    assert await stored_answer(chopbar, "cash") == await response.text()
