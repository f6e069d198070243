"""The simulated CamPay collects from MTN and Orange numbers and signs its GET webhook with a JWT."""
import jwt
import pytest

from tests.simulators.calls import CAMPAY_KEY, campay_token as token, collect


@pytest.mark.parametrize(
    "number,operator,ussd",
    [("237677000002", "MTN", "*126#"), ("237650123456", "MTN", "*126#"), ("237683123456", "MTN", "*126#"),
     ("237699000001", "ORANGE", "#150*50#"), ("237655123456", "ORANGE", "#150*50#"), ("237640123456", "ORANGE", "#150*50#"),
     ("237686123456", "ORANGE", "#150*50#")],
)
async def test_a_collection_names_the_operator_and_its_ussd_code(sim, number, operator, ussd):
    response = await collect(sim, number)
    answer = await response.json()
    assert response.status == 200 and (answer["operator"], answer["ussd_code"]) == (operator, ussd)
    assert len(answer["reference"]) == 36


@pytest.mark.parametrize(
    "number,amount,code",
    [("677000002", "100", "ER101"), ("+237677000002", "100", "ER101"), ("237662000000", "100", "ER102"),
     ("237243000000", "100", "ER102"), ("237677000002", "10.5", "ER201"), ("237677000002", 10.5, "ER201")],
)
async def test_a_bad_collection_gets_campays_error_code(sim, number, amount, code):
    response = await collect(sim, number, amount)
    answer = await response.json()
    assert response.status == 400 and answer["error_code"] == code and answer["message"]


async def test_every_call_but_the_token_needs_a_token(sim):
    assert (await collect(sim, auth={})).status == 401
    assert (await collect(sim, auth={"Authorization": "Token forged"})).status == 401
    refused = await sim.client.post("/sim/campay/api/token/", json={"username": "app-user"})
    assert refused.status == 400


async def test_an_approved_collection_is_reported_by_a_get_webhook_with_a_jwt_signature(sim):
    auth = {"Authorization": f"Token {await token(sim)}"}
    reference = (await (await collect(sim, "237699000001")).json())["reference"]
    pending = await (await sim.client.get(f"/sim/campay/api/transaction/{reference}/", headers=auth)).json()
    assert (pending["status"], pending["external_reference"], pending["operator"]) == ("PENDING", "ours-1", "ORANGE")

    await sim.client.post(f"/sim/payments/{reference}/approve")
    await sim.book.drain()
    [webhook] = sim.received("campay")
    assert webhook.method == "GET" and webhook.body == b""
    claims = jwt.decode(webhook.query["signature"], CAMPAY_KEY, algorithms=["HS256"])
    assert (claims["reference"], claims["status"]) == (reference, "SUCCESSFUL") and isinstance(claims["iat"], int)
    done = await (await sim.client.get(f"/sim/campay/api/transaction/{reference}/", headers=auth)).json()
    assert done["status"] == "SUCCESSFUL" and done["code"].startswith("CP") and done["operator_reference"]
    assert {k: v for k, v in webhook.query.items() if k != "signature"} == done
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(webhook.query["signature"], "another-webhook-key-of-at-least-32-bytes", algorithms=["HS256"])


async def test_a_declined_collection_is_reported_as_failed(sim):
    reference = (await (await collect(sim)).json())["reference"]
    await sim.client.post(f"/sim/payments/{reference}/decline")
    await sim.book.drain()
    assert sim.received("campay")[0].query["status"] == "FAILED"


async def test_an_unknown_transaction_is_404(sim):
    response = await sim.client.get("/sim/campay/api/transaction/nope/", headers={"Authorization": f"Token {await token(sim)}"})
    assert response.status == 404


async def test_a_withdrawal_is_paid_at_once_and_sends_no_webhook(sim):
    auth = {"Authorization": f"Token {await token(sim)}"}
    response = await sim.client.post(
        "/sim/campay/api/withdraw/", headers=auth,
        json={"amount": "1500", "currency": "XAF", "to": "237677000002", "description": "refund", "external_reference": "r-1"},
    )
    reference = (await response.json())["reference"]
    status = await (await sim.client.get(f"/sim/campay/api/transaction/{reference}/", headers=auth)).json()
    assert status["status"] == "SUCCESSFUL"
    await sim.book.drain()
    assert sim.received("campay") == [] and sim.book.for_phone("+237677000002") == []
