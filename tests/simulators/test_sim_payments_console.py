"""The /sim/payments console lists prompts newest first, answers them, and injects provider faults."""
import asyncio
import time
import uuid

import aiohttp
import pytest

from tests.simulators.calls import PAYER, body, collect, headers, momo_token as token, request_to_pay, status_of


async def test_a_phone_sees_its_prompts_newest_first_with_the_plus_decoded_as_a_space_accepted(sim):
    _, first = await request_to_pay(sim)
    second = (await (await collect(sim, PAYER, "700")).json())["reference"]
    _, third = await request_to_pay(sim, amount="900")
    await request_to_pay(sim, payer={"partyIdType": "MSISDN", "partyId": "237677999999"})
    for raw in ("+" + PAYER, " " + PAYER):
        asked = await (await sim.client.get("/sim/payments", params={"phone": raw})).json()
        assert [p["reference"] for p in asked] == [third, second, first]
    query = await (await sim.client.get(f"/sim/payments?phone=+{PAYER}")).json()  # a literal '+' in the query
    assert [p["reference"] for p in query] == [third, second, first]
    assert asked[1] == {
        "reference": second, "provider": "campay", "phone": "+" + PAYER, "amount": 700, "currency": "XAF", "status": "pending",
    }


async def test_the_console_wants_a_phone_and_knows_unknown_and_answered_payments(sim):
    missing = await sim.client.get("/sim/payments")
    assert missing.status == 400 and "error" in await missing.json()
    assert (await sim.client.post("/sim/payments/nope/approve")).status == 404
    _, reference = await request_to_pay(sim)
    assert (await sim.client.post(f"/sim/payments/{reference}/decline")).status == 200
    again = await sim.client.post(f"/sim/payments/{reference}/approve")
    assert again.status == 409
    asked = await (await sim.client.get("/sim/payments", params={"phone": "+" + PAYER})).json()
    assert asked[0]["status"] == "failed"


@pytest.mark.parametrize("mode,status,mtn", [("approve", "successful", "SUCCESSFUL"), ("decline", "failed", "FAILED")])
async def test_the_auto_modes_answer_every_prompt_by_themselves(make_sim, mode, status, mtn):
    sim = await make_sim(mode, auto_delay_s=0.1)
    access_token, reference = await request_to_pay(sim)
    campay = (await (await collect(sim, "237699000001")).json())["reference"]
    assert (await status_of(sim, access_token, reference))["status"] == "PENDING"  # not before auto_delay_s
    await sim.book.drain()
    assert (await status_of(sim, access_token, reference))["status"] == mtn
    assert sim.book.get(campay).status == status
    assert len(sim.received("mtn")) == 1 and sim.received("campay")[0].query["status"] == mtn


async def test_faults_are_read_set_and_lifted_with_an_empty_post(sim):
    assert await (await sim.client.get("/sim/providers/mtn/faults")).json() == {
        "delay_s": 0.0, "timeout": False, "fail_status": None, "callbacks": 1, "callback_delay_s": 0.05}
    set_ = await sim.client.post("/sim/providers/mtn/faults", json={"fail_status": 503, "callbacks": 2})
    assert (await set_.json())["fail_status"] == 503
    assert (await (await sim.client.get("/sim/providers/mtn/faults")).json())["callbacks"] == 2
    lifted = await (await sim.client.post("/sim/providers/mtn/faults")).json()
    assert (lifted["fail_status"], lifted["callbacks"]) == (None, 1)
    for wrong in ({"delay_s": "slow"}, {"fail_status": 200}, {"callbacks": -1}, {"colour": 1}, [1]):
        assert (await sim.client.post("/sim/providers/mtn/faults", json=wrong)).status == 400
    assert (await sim.client.get("/sim/providers/orange/faults")).status == 404


@pytest.mark.parametrize(
    "provider,call",
    [("mtn", ("POST", "/sim/mtn/collection/token/")), ("campay", ("POST", "/sim/campay/api/token/")),
     ("stripe", ("GET", "/sim/stripe/v1/payment_intents/pi_1"))],
)
async def test_a_fail_status_fault_answers_every_call_with_it(sim, provider, call):
    await sim.client.post(f"/sim/providers/{provider}/faults", json={"fail_status": 503})
    assert (await sim.client.request(*call)).status == 503
    await sim.client.post(f"/sim/providers/{provider}/faults", json={})
    assert (await sim.client.request(*call)).status != 503


async def test_a_delay_fault_answers_late_but_answers(sim):
    access_token = await token(sim)
    sim.book.fault("mtn").delay_s = 0.3
    started = time.monotonic()
    response = await sim.client.post(
        "/sim/mtn/collection/v1_0/requesttopay", json=body(), headers=headers(access_token, str(uuid.uuid4()))
    )
    assert response.status == 202 and time.monotonic() - started >= 0.3


async def test_a_timeout_fault_never_answers_and_the_call_is_lost(sim):
    access_token = await token(sim)
    await sim.client.post("/sim/providers/mtn/faults", json={"timeout": True})
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.5)) as http:
        with pytest.raises(asyncio.TimeoutError):
            await http.post(
                sim.url("/sim/mtn/collection/v1_0/requesttopay"), json=body(), headers=headers(access_token, str(uuid.uuid4()))
            )
    await sim.client.post("/sim/providers/mtn/faults", json={})
    await asyncio.sleep(0.1)  # the held call ends, unprocessed
    assert sim.book.for_phone("+" + PAYER) == []
