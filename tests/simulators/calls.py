"""Calls to the simulated providers as our adapters make them, shared by the simulator tests."""
import base64
import uuid
from contextlib import asynccontextmanager

import stripe

CAMPAY_KEY = "campay-webhook-key-for-the-simulator-tests"
STRIPE_SECRET = "whsec_simulators_for_tests"
BASIC = "Basic " + base64.b64encode(b"0b0e0c4a-api-user:api-key").decode()
PAYER = "237677000002"


def body(**changes) -> dict:
    sent = {
        "amount": "2500", "currency": "XAF", "externalId": "order-1",
        "payer": {"partyIdType": "MSISDN", "partyId": PAYER}, "payerMessage": "Chopbar", "payeeNote": "Chopbar order-1",
    }
    return sent | changes


async def momo_token(sim, product: str = "collection") -> str:
    response = await sim.client.post(
        f"/sim/mtn/{product}/token/", headers={"Authorization": BASIC, "Ocp-Apim-Subscription-Key": "sub-key"}
    )
    assert response.status == 200
    answer = await response.json()
    assert (answer["token_type"], answer["expires_in"]) == ("access_token", 3600)
    return answer["access_token"]


def headers(access_token: str, reference: str | None = None, callback: str | None = None) -> dict:
    sent = {
        "Authorization": f"Bearer {access_token}", "X-Target-Environment": "mtncameroon", "Ocp-Apim-Subscription-Key": "sub-key",
    }
    if reference:
        sent["X-Reference-Id"] = reference
    if callback:
        sent["X-Callback-Url"] = callback
    return sent


async def request_to_pay(sim, **changes) -> tuple[str, str]:
    access_token, reference = await momo_token(sim), str(uuid.uuid4())
    response = await sim.client.post(
        "/sim/mtn/collection/v1_0/requesttopay", json=body(**changes),
        headers=headers(access_token, reference, sim.url("/hooks/mtn")),
    )
    assert response.status == 202 and await response.read() == b""
    return access_token, reference


async def status_of(sim, access_token: str, reference: str) -> dict:
    response = await sim.client.get(f"/sim/mtn/collection/v1_0/requesttopay/{reference}", headers=headers(access_token))
    assert response.status == 200
    return await response.json()


async def campay_token(sim) -> str:
    response = await sim.client.post("/sim/campay/api/token/", json={"username": "app-user", "password": "app-password"})
    answer = await response.json()
    assert response.status == 200 and answer["expires_in"] == 3600
    return answer["token"]


async def collect(sim, number: str = "237677000002", amount="1500", auth: dict | None = None):
    """A CamPay collect, with a fresh token unless `auth` gives the headers."""
    auth = auth if auth is not None else {"Authorization": f"Token {await campay_token(sim)}"}
    return await sim.client.post(
        "/sim/campay/api/collect/", headers=auth,
        json={"amount": amount, "currency": "XAF", "from": number, "description": "Chopbar", "external_reference": "ours-1"},
    )


@asynccontextmanager
async def stripe_library(sim):
    """The official Stripe client, pointed at the simulator as our adapter points it at Stripe."""
    http_client = stripe.AIOHTTPClient()
    try:
        yield stripe.StripeClient(
            "sk_test_chopbar", base_addresses={"api": sim.url("/sim/stripe")}, http_client=http_client, max_network_retries=0
        )
    finally:
        await http_client.close_async()
