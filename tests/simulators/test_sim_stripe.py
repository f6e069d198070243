"""The simulated Stripe speaks to the official library and signs events the library accepts."""
import json

import pytest
import stripe

from tests.simulators.calls import STRIPE_SECRET, stripe_library

KEY = {"Authorization": "Bearer sk_test_chopbar"}
FORM = {"amount": "4500", "currency": "xaf", "metadata[order]": "CB-1234", "metadata[reference]": "ours-1",
        "automatic_payment_methods[enabled]": "true"}


@pytest.fixture
async def library(sim):
    async with stripe_library(sim) as client:
        yield client


async def create(sim, form: dict = FORM, key: str | None = None):
    headers = KEY | ({"Idempotency-Key": key} if key else {})
    return await sim.client.post("/sim/stripe/v1/payment_intents", data=form, headers=headers)


async def test_the_library_creates_and_retrieves_an_intent(library):
    intent = await library.v1.payment_intents.create_async(
        {"amount": 4500, "currency": "xaf", "metadata": {"order": "CB-1234", "reference": "ours-1"},
         "automatic_payment_methods": {"enabled": True}},
        {"idempotency_key": "pi-ours-1"},
    )
    assert intent.id.startswith("pi_") and intent.client_secret.startswith(f"{intent.id}_secret_")
    assert (intent.object, intent.amount, intent.currency) == ("payment_intent", 4500, "xaf")
    assert intent.status == "requires_payment_method"
    assert intent.metadata["order"] == "CB-1234" and intent.automatic_payment_methods.enabled is True
    again = await library.v1.payment_intents.retrieve_async(intent.id)
    assert again.id == intent.id and again.status == "requires_payment_method"
    with pytest.raises(stripe.InvalidRequestError):
        await library.v1.payment_intents.retrieve_async("pi_unknown")


async def test_the_same_idempotency_key_replays_and_different_params_are_an_idempotency_error(sim):
    first = await (await create(sim, key="pi-ours-1")).json()
    replay = await create(sim, key="pi-ours-1")
    assert await replay.json() == first and replay.headers["Idempotent-Replayed"] == "true"
    other = await create(sim, FORM | {"amount": "5000"}, key="pi-ours-1")
    assert other.status == 400 and (await other.json())["error"]["type"] == "idempotency_error"
    fresh = await (await create(sim, key="pi-ours-2")).json()
    assert fresh["id"] != first["id"]


async def test_the_library_raises_its_idempotency_error(library):
    params = {"amount": 4500, "currency": "xaf"}
    await library.v1.payment_intents.create_async(params, {"idempotency_key": "k"})
    with pytest.raises(stripe.IdempotencyError):
        await library.v1.payment_intents.create_async(params | {"amount": 1}, {"idempotency_key": "k"})


@pytest.mark.parametrize("auth", [None, "Bearer pk_test_abc", "Bearer sk_test_", "Basic sk_test_abc"])
async def test_a_secret_key_is_required(sim, auth):
    response = await sim.client.post("/sim/stripe/v1/payment_intents", data=FORM, headers={"Authorization": auth} if auth else {})
    assert response.status == 401 and (await response.json())["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    "form", [FORM | {"currency": "XAF"}, FORM | {"amount": "12.5"}, {"currency": "xaf"}, FORM | {"colour": "red"}, FORM | {"metadata": "x"}]
)
async def test_bad_params_are_refused(sim, form):
    response = await create(sim, form)
    assert response.status == 400 and (await response.json())["error"]["type"] == "invalid_request_error"


async def test_a_confirmed_card_in_manual_mode_processes_until_approved_then_the_signed_event_arrives(sim):
    intent = await (await create(sim)).json()
    early = await sim.client.post(f"/sim/payments/{intent['id']}/approve")
    assert early.status == 409  # nothing to answer before the card is confirmed
    confirmed = await (await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)).json()
    assert confirmed["status"] == "processing"
    assert (await sim.client.post(f"/sim/payments/{intent['id']}/approve")).status == 200
    await sim.book.drain()

    [webhook] = sim.received("stripe")
    assert webhook.method == "POST"
    event = stripe.Webhook.construct_event(webhook.body, webhook.headers["Stripe-Signature"], STRIPE_SECRET)
    assert (event.type, event.object, event.livemode) == ("payment_intent.succeeded", "event", False)
    assert event.api_version == "2024-06-20"
    assert event.id.startswith("evt_") and event.data.object.id == intent["id"] and event.data.object.status == "succeeded"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(webhook.body, webhook.headers["Stripe-Signature"], "whsec_another")
    retrieved = await (await sim.client.get(f"/sim/stripe/v1/payment_intents/{intent['id']}", headers=KEY)).json()
    assert retrieved["status"] == "succeeded" and retrieved["amount_received"] == 4500


async def test_in_approve_mode_confirm_charges_the_card_at_once(make_sim):
    sim = await make_sim("approve")
    intent = await (await create(sim)).json()
    confirmed = await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    assert (await confirmed.json())["status"] == "succeeded"
    await sim.book.drain()
    event = json.loads(sim.received("stripe")[0].body)
    assert event["type"] == "payment_intent.succeeded"
    again = await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    assert (await again.json())["error"]["code"] == "payment_intent_unexpected_state"


async def test_in_decline_mode_confirm_is_a_card_error_and_the_failure_event_is_signed(make_sim):
    sim = await make_sim("decline")
    intent = await (await create(sim)).json()
    declined = await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    error = (await declined.json())["error"]
    assert declined.status == 402 and (error["type"], error["code"]) == ("card_error", "card_declined")
    assert error["payment_intent"]["status"] == "requires_payment_method"
    retrieved = await (await sim.client.get(f"/sim/stripe/v1/payment_intents/{intent['id']}", headers=KEY)).json()
    assert retrieved["last_payment_error"]["code"] == "card_declined"
    await sim.book.drain()
    [webhook] = sim.received("stripe")
    event = stripe.Webhook.construct_event(webhook.body, webhook.headers["Stripe-Signature"], STRIPE_SECRET)
    assert event.type == "payment_intent.payment_failed" and event.data.object.last_payment_error.code == "card_declined"
    sim.book.mode = "approve"  # the customer tries another card
    retried = await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    assert retried.status == 200 and (await retried.json())["last_payment_error"] is None


async def test_a_refund_succeeds_up_to_what_was_charged(make_sim):
    sim = await make_sim("approve")
    intent = await (await create(sim)).json()
    not_yet = await sim.client.post("/sim/stripe/v1/refunds", data={"payment_intent": intent["id"]}, headers=KEY)
    assert not_yet.status == 400
    await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    refund = await (await sim.client.post("/sim/stripe/v1/refunds", data={"payment_intent": intent["id"], "amount": "4000"}, headers=KEY)).json()
    assert refund["id"].startswith("re_")
    assert (refund["object"], refund["status"], refund["amount"], refund["payment_intent"]) == ("refund", "succeeded", 4000, intent["id"])
    too_much = await sim.client.post("/sim/stripe/v1/refunds", data={"payment_intent": intent["id"], "amount": "1000"}, headers=KEY)
    assert (await too_much.json())["error"]["code"] == "amount_too_large"


async def test_the_library_refunds(make_sim):
    sim = await make_sim("approve")
    intent = await (await create(sim)).json()
    await sim.client.post(f"/sim/stripe/v1/payment_intents/{intent['id']}/confirm", headers=KEY)
    async with stripe_library(sim) as client:
        refund = await client.v1.refunds.create_async({"payment_intent": intent["id"], "amount": 4500}, {"idempotency_key": "re-1"})
    assert (refund.object, refund.status, refund.payment_intent) == ("refund", "succeeded", intent["id"])
