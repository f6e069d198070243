"""The outbox worker: sends through the gateway, once, retried with backoff, tracked by reports."""
import asyncio

import africastalking
import pytest
from sqlalchemy import select

from channels.keys import DATABASE, SIM_SMS
from channels.senders.africastalking import AfricasTalkingSms
from channels.senders.outbox_worker import OutboxWorker
from core import outbox
from core.models import OutboxMessage
from tests.sms import text

PHONE = "+237699555050"


@pytest.fixture
def gateway(chopbar):
    return chopbar.app[SIM_SMS]


@pytest.fixture
async def workers(chopbar, settings):
    made = []

    def make(name="w1") -> OutboxWorker:
        sender = AfricasTalkingSms(f"{settings.self_url}/sim/at", "sandbox", "sim-at-api-key")
        made.append(OutboxWorker(chopbar.app[DATABASE], {"sms": sender}, name=name))
        return made[-1]

    yield make
    for worker in made:
        await worker.close()


async def queue(chopbar, phone=PHONE, body="Bonjour, votre commande est prête à être livrée", n=1) -> list[int]:
    ids = []
    async with chopbar.app[DATABASE].unit() as unit:
        for i in range(n):
            message = await outbox.enqueue(unit, phone, f"{body} {i}", kind="test")
            await unit.session.flush()
            ids.append(message.id)
    return ids


async def messages(chopbar, ids):
    async with chopbar.app[DATABASE].unit() as unit:
        return list(await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))


async def test_a_queued_message_is_sent_then_reported_delivered(chopbar, workers, gateway):
    ids = await queue(chopbar)
    worker = workers()
    assert await worker.run() == 1
    await gateway.drain()
    [message] = await messages(chopbar, ids)
    assert message.status == "delivered" and message.provider_message_id.startswith("ATXid_")
    assert gateway.sent[-1] == {**gateway.sent[-1], "to": PHONE, "text": "Bonjour, votre commande est prete à etre livrée 0"}
    shown = await (await chopbar.get("/sim/messages", params={"to": PHONE})).json()
    assert shown[-1]["status"] == "delivered"


async def test_sms_text_is_made_gsm7_safe(chopbar, workers, gateway):
    await queue(chopbar, body="Prête, reçu ’ok’")
    worker = workers()
    await worker.run()
    assert gateway.sent[-1]["text"].startswith("Prete, recu 'ok'")


async def test_a_worker_killed_between_claim_and_send_leaves_each_message_sent_exactly_once(chopbar, workers, gateway, clock):
    ids = await queue(chopbar, n=3)
    crashed = workers("crashed")
    assert len(await crashed.claim()) == 3  # claimed, then the process dies before sending
    survivor = workers("survivor")
    assert await survivor.run() == 0  # the claims are still fresh: nothing is sent twice
    clock.advance(seconds=61)
    assert await survivor.run() == 3
    assert await survivor.run() == 0
    await gateway.drain()
    assert sorted(m["text"][-1] for m in gateway.sent if m["to"] == PHONE) == ["0", "1", "2"]
    assert {m.status for m in await messages(chopbar, ids)} == {"delivered"}


async def test_two_workers_at_once_send_each_message_once(chopbar, workers, gateway):
    await queue(chopbar, n=20)
    first, second = workers("a"), workers("b")
    await asyncio.gather(first.run(), second.run(), first.run(), second.run())
    texts = [m["text"] for m in gateway.sent if m["to"] == PHONE]
    assert len(texts) == len(set(texts)) == 20


async def test_a_failing_gateway_is_retried_with_backoff(chopbar, workers, gateway, clock):
    ids = await queue(chopbar)
    gateway.fail_status = 500
    worker = workers()
    await worker.run()
    [message] = await messages(chopbar, ids)
    assert (message.status, message.attempts) == ("queued", 1) and message.next_attempt_at > clock.now
    gateway.fail_status = None
    assert await worker.run() == 0  # not before its time
    clock.advance(seconds=3)
    await worker.run()
    [message] = await messages(chopbar, ids)
    assert message.status == "sent"


async def test_a_number_that_said_stop_gets_nothing_more(chopbar, workers, gateway):
    await text(chopbar, PHONE, "STOP")
    await queue(chopbar, body="Promo")
    worker = workers()
    await worker.run()
    sent = [m["text"] for m in gateway.sent if m["to"] == PHONE]
    assert len(sent) == 1 and "START" in sent[0]


async def test_the_official_africastalking_sdk_sends_through_our_simulator(chopbar, settings, gateway):
    africastalking.initialize("sandbox", "sim-at-api-key")
    sms = africastalking.SMS
    sms._baseUrl = f"{settings.self_url}/sim/at/version1"  # the SDK's own base, pointed at the simulator
    answer = await asyncio.to_thread(sms.send, "Hello from the SDK", [PHONE])
    assert answer["SMSMessageData"]["Recipients"][0]["status"] == "Success"
    assert gateway.sent[-1]["text"] == "Hello from the SDK"
