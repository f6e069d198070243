"""The simulated providers answer as the real ones do, errors included."""
import base64
import uuid

import pytest

MOMO_BASIC = "Basic " + base64.b64encode(b"api-user:api-key").decode()


async def momo_token(chopbar) -> str:
    response = await chopbar.post(
        "/sim/mtn/collection/token/", headers={"Authorization": MOMO_BASIC, "Ocp-Apim-Subscription-Key": "k"}
    )
    return (await response.json())["access_token"]


def momo_headers(token: str, reference: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}", "X-Target-Environment": "sandbox", "Ocp-Apim-Subscription-Key": "k"}
    if reference:
        headers["X-Reference-Id"] = reference
    return headers


MOMO_BODY = {"amount": "2500", "currency": "XAF", "externalId": "o1", "payer": {"partyIdType": "MSISDN", "partyId": "237677000002"},
             "payerMessage": "m", "payeeNote": "n"}


async def test_momo_needs_a_token(chopbar):
    response = await chopbar.post("/sim/mtn/collection/token/")
    assert response.status == 401
    response = await chopbar.post("/sim/mtn/collection/v1_0/requesttopay", json=MOMO_BODY, headers=momo_headers("nope", str(uuid.uuid4())))
    assert response.status == 401


async def test_momo_refuses_a_reused_reference_with_409(chopbar):
    token, reference = await momo_token(chopbar), str(uuid.uuid4())
    first = await chopbar.post("/sim/mtn/collection/v1_0/requesttopay", json=MOMO_BODY, headers=momo_headers(token, reference))
    again = await chopbar.post("/sim/mtn/collection/v1_0/requesttopay", json=MOMO_BODY, headers=momo_headers(token, reference))
    assert (first.status, again.status) == (202, 409)
    assert (await again.json())["code"] == "RESOURCE_ALREADY_EXIST"
    status = await chopbar.get(f"/sim/mtn/collection/v1_0/requesttopay/{reference}", headers=momo_headers(token))
    assert (await status.json())["status"] == "PENDING"
    unknown = await chopbar.get(f"/sim/mtn/collection/v1_0/requesttopay/{uuid.uuid4()}", headers=momo_headers(token))
    assert unknown.status == 404


async def campay_token(chopbar) -> str:
    response = await chopbar.post("/sim/campay/api/token/", json={"username": "u", "password": "p"})
    return (await response.json())["token"]


@pytest.mark.parametrize(
    "number,amount,code",
    [("677000002", "100", "ER101"), ("237662000000", "100", "ER102"), ("237677000002", "10.5", "ER201")],
)
async def test_campay_errors(chopbar, number, amount, code):
    token = await campay_token(chopbar)
    response = await chopbar.post(
        "/sim/campay/api/collect/", headers={"Authorization": f"Token {token}"},
        json={"amount": amount, "currency": "XAF", "from": number, "description": "d", "external_reference": "e"},
    )
    assert response.status == 400 and (await response.json())["error_code"] == code


@pytest.mark.parametrize("number,operator,ussd", [("237677000002", "MTN", "*126#"), ("237699000001", "ORANGE", "#150*50#")])
async def test_campay_collects_from_mtn_and_orange(chopbar, number, operator, ussd):
    token = await campay_token(chopbar)
    response = await chopbar.post(
        "/sim/campay/api/collect/", headers={"Authorization": f"Token {token}"},
        json={"amount": "1500", "currency": "XAF", "from": number, "description": "d", "external_reference": "e"},
    )
    body = await response.json()
    assert (body["operator"], body["ussd_code"]) == (operator, ussd)


async def test_faults_make_a_provider_fail_then_recover(chopbar):
    await chopbar.post("/sim/providers/campay/faults", json={"fail_status": 503})
    failing = await chopbar.post("/sim/campay/api/token/", json={"username": "u", "password": "p"})
    await chopbar.post("/sim/providers/campay/faults", json={})
    working = await chopbar.post("/sim/campay/api/token/", json={"username": "u", "password": "p"})
    assert (failing.status, working.status) == (503, 200)


async def test_the_payments_console_wants_a_phone_and_knows_unknown_references(chopbar):
    assert (await chopbar.get("/sim/payments")).status == 400
    assert (await chopbar.post("/sim/payments/nope/approve")).status == 404
