"""Money out at the simulated providers: MTN transfers and CamPay withdrawals, idempotent by
reference, short of funds, scripted to fail or wait, and the statements each keeps."""
import uuid
from datetime import datetime, timedelta, timezone

from tests.simulators.calls import PAYER, body, campay_token, headers, momo_token as token, request_to_pay


def payee(**changes) -> dict:
    sent = body(**changes)
    sent["payee"] = sent.pop("payer")
    return sent


async def transfer(sim, access_token: str, reference: str, **changes):
    return await sim.client.post("/sim/mtn/disbursement/v1_0/transfer", json=payee(**changes), headers=headers(access_token, reference))


async def test_an_mtn_transfer_under_a_reference_used_before_is_refused_and_pays_once(sim):
    access_token, reference = await token(sim, "disbursement"), str(uuid.uuid4())
    before = sim.book.balances["mtn"]
    assert (await transfer(sim, access_token, reference)).status == 202
    again = await transfer(sim, access_token, reference)
    assert again.status == 409 and (await again.json())["code"] == "RESOURCE_ALREADY_EXIST"
    assert sim.book.balances["mtn"] == before - 2500
    balance = await sim.client.get("/sim/mtn/disbursement/v1_0/account/balance", headers=headers(access_token))
    assert await balance.json() == {"availableBalance": str(before - 2500), "currency": "XAF"}


async def test_an_mtn_transfer_short_of_funds_is_taken_then_failed(sim):
    access_token, reference = await token(sim, "disbursement"), str(uuid.uuid4())
    sim.book.balances["mtn"] = 1000
    assert (await transfer(sim, access_token, reference)).status == 202
    status = await (await sim.client.get(f"/sim/mtn/disbursement/v1_0/transfer/{reference}", headers=headers(access_token))).json()
    assert (status["status"], status["reason"]) == ("FAILED", "NOT_ENOUGH_FUNDS") and sim.book.balances["mtn"] == 1000


async def test_scripted_transfers_fail_or_wait_until_settled(sim):
    access_token = await token(sim, "disbursement")
    scripted = await sim.client.post("/sim/providers/mtn/transfers", json={"outcomes": ["failed", "pending"]})
    assert scripted.status == 200
    failed, waiting = str(uuid.uuid4()), str(uuid.uuid4())
    await transfer(sim, access_token, failed)
    await transfer(sim, access_token, waiting)
    states = {t["reference"]: t["status"] for t in (await (await sim.client.get("/sim/providers/mtn/transfers")).json())["transfers"]}
    assert states == {failed: "failed", waiting: "pending"}
    assert (await sim.client.post(f"/sim/transfers/{waiting}/fail")).status == 200
    assert sim.book.get(waiting).status == "failed"
    assert (await sim.client.post("/sim/providers/mtn/transfers", json={"balance": -1})).status == 400


async def test_the_mtn_statement_lists_collections_and_transfers_of_the_window(sim):
    _, collected = await request_to_pay(sim)
    await sim.client.post(f"/sim/payments/{collected}/approve")
    sent = str(uuid.uuid4())
    await transfer(sim, await token(sim, "disbursement"), sent, externalId="payout-1")
    now = datetime.now(timezone.utc)
    window = {"from": (now - timedelta(hours=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    rows = await (await sim.client.get("/sim/mtn/statement", params=window)).json()
    assert [(r["referenceId"], r["product"], r["status"], r["partyId"]) for r in rows] == [
        (collected, "collection", "SUCCESSFUL", PAYER), (sent, "disbursement", "SUCCESSFUL", PAYER)]
    assert rows[1]["externalId"] == "payout-1"
    later = {"from": (now + timedelta(hours=1)).isoformat(), "to": (now + timedelta(hours=2)).isoformat()}
    assert await (await sim.client.get("/sim/mtn/statement", params=later)).json() == []
    assert (await sim.client.get("/sim/mtn/statement", params={"from": "yesterday"})).status == 400


async def test_a_campay_withdrawal_beyond_the_balance_is_er301_and_the_history_keeps_the_rest(sim):
    auth = {"Authorization": f"Token {await campay_token(sim)}"}
    withdraw = {"amount": "5000", "currency": "XAF", "to": "237699000001", "description": "payout", "external_reference": "payout-2"}
    sim.book.balances["campay"] = 4000
    short = await sim.client.post("/sim/campay/api/withdraw/", json=withdraw, headers=auth)
    assert short.status == 400 and (await short.json())["error_code"] == "ER301"
    sim.book.balances["campay"] = 50_000
    made = await (await sim.client.post("/sim/campay/api/withdraw/", json=withdraw, headers=auth)).json()
    today = datetime.now(timezone.utc).date().isoformat()
    history = await (await sim.client.post("/sim/campay/api/history/", json={"start_date": today, "end_date": today}, headers=auth)).json()
    assert [(h["reference"], h["type"], h["status"], h["external_reference"]) for h in history] == [
        (made["reference"], "withdraw", "SUCCESSFUL", "payout-2")]
    balance = await (await sim.client.get("/sim/campay/api/balance/", headers=auth)).json()
    assert balance["total_balance"] == 45_000
    assert (await sim.client.post("/sim/campay/api/history/", json={"start_date": "soon"}, headers=auth)).status == 400
