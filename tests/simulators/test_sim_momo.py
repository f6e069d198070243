"""The simulated MTN MoMo answers as MTN's Open API does, and calls back with an unsigned PUT."""
import base64
import json
import uuid

import pytest

from tests.simulators.calls import BASIC, PAYER, body, headers, momo_token as token, request_to_pay, status_of


async def test_a_request_to_pay_stays_pending_until_the_payer_approves_then_calls_back_once(sim):
    access_token, reference = await request_to_pay(sim)
    pending = await status_of(sim, access_token, reference)
    assert pending["status"] == "PENDING" and "financialTransactionId" not in pending and "reason" not in pending
    assert pending["payer"] == {"partyIdType": "MSISDN", "partyId": PAYER}
    asked = await (await sim.client.get("/sim/payments", params={"phone": "+" + PAYER})).json()
    assert [(p["reference"], p["provider"], p["amount"], p["status"]) for p in asked] == [(reference, "mtn", 2500, "pending")]

    approved = await sim.client.post(f"/sim/payments/{reference}/approve")
    assert await approved.json() == {"reference": reference, "status": "successful"}
    done = await status_of(sim, access_token, reference)
    assert done["status"] == "SUCCESSFUL" and done["financialTransactionId"].isdigit()
    assert (done["amount"], done["currency"], done["externalId"]) == ("2500", "XAF", "order-1")
    await sim.book.drain()
    [callback] = sim.received("mtn")
    assert callback.method == "PUT" and json.loads(callback.body) == done
    assert not any(name.lower() in ("stripe-signature", "x-signature") for name in callback.headers)


async def test_a_declined_request_to_pay_fails_with_a_reason(sim):
    access_token, reference = await request_to_pay(sim)
    await sim.client.post(f"/sim/payments/{reference}/decline")
    failed = await status_of(sim, access_token, reference)
    assert (failed["status"], failed["reason"]) == ("FAILED", "APPROVAL_REJECTED")
    await sim.book.drain()
    assert json.loads(sim.received("mtn")[0].body)["status"] == "FAILED"


@pytest.mark.parametrize("callbacks", [0, 2])
async def test_the_callback_is_sent_as_many_times_as_the_fault_says(sim, callbacks):
    await sim.client.post("/sim/providers/mtn/faults", json={"callbacks": callbacks, "callback_delay_s": 0})
    _, reference = await request_to_pay(sim)
    await sim.client.post(f"/sim/payments/{reference}/approve")
    await sim.book.drain()
    assert len(sim.received("mtn")) == callbacks


async def test_a_reused_reference_id_is_refused_with_409(sim):
    access_token, reference = await request_to_pay(sim)
    again = await sim.client.post(
        "/sim/mtn/collection/v1_0/requesttopay", json=body(), headers=headers(access_token, reference)
    )
    assert again.status == 409
    assert await again.json() == {"code": "RESOURCE_ALREADY_EXIST", "message": "Duplicated reference id. Creation of resource failed."}
    assert len(sim.book.for_phone("+" + PAYER)) == 1


async def test_an_unknown_reference_is_404(sim):
    response = await sim.client.get(f"/sim/mtn/collection/v1_0/requesttopay/{uuid.uuid4()}", headers=headers(await token(sim)))
    assert response.status == 404 and (await response.json())["code"] == "RESOURCE_NOT_FOUND"


@pytest.mark.parametrize("auth", [None, "Basic " + base64.b64encode(b"user:").decode(), "Bearer x"])
async def test_a_token_needs_basic_credentials_and_a_subscription_key(sim, auth):
    sent = {"Ocp-Apim-Subscription-Key": "sub-key"} | ({"Authorization": auth} if auth else {})
    response = await sim.client.post("/sim/mtn/collection/token/", headers=sent)
    assert response.status == 401 and await response.json() == {"error": "invalid_client"}
    no_key = await sim.client.post("/sim/mtn/collection/token/", headers={"Authorization": BASIC})
    assert no_key.status == 401


async def test_api_calls_need_a_token_it_issued_for_that_product(sim):
    url = "/sim/mtn/collection/v1_0/requesttopay"
    assert (await sim.client.post(url, json=body(), headers={"X-Reference-Id": str(uuid.uuid4())})).status == 401
    forged = await sim.client.post(url, json=body(), headers=headers("forged", str(uuid.uuid4())))
    assert forged.status == 401
    disbursement = await token(sim, "disbursement")
    assert (await sim.client.post(url, json=body(), headers=headers(disbursement, str(uuid.uuid4())))).status == 401


@pytest.mark.parametrize(
    "changes",
    [{"amount": 2500}, {"amount": "25.5"}, {"currency": "xaf"}, {"payer": {"partyIdType": "MSISDN", "partyId": "+237677000002"}},
     {"payer": {"partyIdType": "EMAIL", "partyId": PAYER}}, {"payer": {"partyIdType": "MSISDN", "partyId": 237677000002}},
     {"payer": None}],
)
async def test_a_bad_body_is_refused_with_400(sim, changes):
    response = await sim.client.post(
        "/sim/mtn/collection/v1_0/requesttopay", json=body(**changes), headers=headers(await token(sim), str(uuid.uuid4()))
    )
    assert response.status == 400 and (await response.json())["code"] == "INVALID_REQUEST"


async def test_a_reference_id_must_be_a_uuid(sim):
    response = await sim.client.post(
        "/sim/mtn/collection/v1_0/requesttopay", json=body(), headers=headers(await token(sim), "order-1")
    )
    assert response.status == 400


async def test_a_transfer_to_the_customer_succeeds_at_once(sim):
    access_token, reference = await token(sim, "disbursement"), str(uuid.uuid4())
    sent = {k: v for k, v in body().items() if k != "payer"} | {"payee": {"partyIdType": "MSISDN", "partyId": PAYER}}
    response = await sim.client.post("/sim/mtn/disbursement/v1_0/transfer", json=sent, headers=headers(access_token, reference))
    assert response.status == 202
    status = await sim.client.get(f"/sim/mtn/disbursement/v1_0/transfer/{reference}", headers=headers(access_token))
    answer = await status.json()
    assert answer["status"] == "SUCCESSFUL" and answer["payee"]["partyId"] == PAYER
    assert sim.book.for_phone("+" + PAYER) == []  # a refund is no prompt on the phone
    collection = await sim.client.get(f"/sim/mtn/collection/v1_0/requesttopay/{reference}", headers=headers(await token(sim)))
    assert collection.status == 404
