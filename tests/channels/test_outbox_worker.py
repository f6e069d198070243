"""The outbox worker: small claims, hand-over marks, at most `concurrency` at the gateway, a
graceful stop, codes masked once sent, retries with backoff, delivery reports."""
import asyncio
import json
from datetime import timedelta

import africastalking
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from channels.keys import DATABASE, SIM_SMS, SIM_WHATSAPP
from channels.providers.africastalking.sender import AfricasTalkingSms
from channels.senders.outbox_worker import OutboxWorker
from channels.providers.meta.sender import WhatsAppCloud
from core import outbox
from core.models import OutboxMessage
from simulators.phone import TerminalPhone
from tests import demo
from tests.channels.test_delivery_by_sms import order, picked_up_order
from tests.outages import database_refused
from tests.payments import placed_order
from tests.sms import text
from core.sealing import blind

PHONE = "+237699555050"


@pytest.fixture
def gateway(chopbar):
    return chopbar.app[SIM_SMS]


class Watched:
    """The real sender, watched: how many sends are at the gateway at once, and what the outbox
    said of each message while it was there."""

    def __init__(self, sender, db) -> None:
        self.sender, self.db = sender, db
        self.provider = sender.provider
        self.at_gateway = self.most = 0
        self.seen: list[tuple[str, str | None, bool]] = []  # body, status, handed over

    async def send(self, to_phone: str, body: str):
        self.at_gateway += 1
        self.most = max(self.most, self.at_gateway)
        try:
            async with self.db.unit() as unit:  # another transaction: only what was committed shows
                row = (await unit.session.execute(
                    select(OutboxMessage.status, OutboxMessage.handed_at).where(OutboxMessage.to_phone_key == blind(to_phone))
                )).first()
            self.seen.append((body, row.status, row.handed_at is not None))
            return await self.sender.send(to_phone, body)
        finally:
            self.at_gateway -= 1

    async def close(self) -> None:
        await self.sender.close()


class Dying(Watched):
    """Hands the message to the gateway, then the process dies before hearing the answer."""

    async def send(self, to_phone: str, body: str):
        await self.sender.send(to_phone, body)
        await asyncio.Event().wait()


@pytest.fixture
async def workers(chopbar, settings):
    made = []

    def make(name="w1", *, wrap=None, concurrency=4, lease_s=60) -> OutboxWorker:
        sender = AfricasTalkingSms(f"{settings.self_url}/sim/at", "sandbox", "sim-at-api-key")
        if wrap is not None:
            sender = wrap(sender, chopbar.app[DATABASE])
        made.append(OutboxWorker(chopbar.app[DATABASE], {"sms": sender}, name=name, concurrency=concurrency,
                                 lease=timedelta(seconds=lease_s)))
        return made[-1]

    yield make
    for worker in made:
        await worker.close()


async def queue(chopbar, phone=PHONE, body="Bonjour, votre commande est prête à être livrée", n=1, **options) -> list[int]:
    ids = []
    async with chopbar.app[DATABASE].unit() as unit:
        for i in range(n):
            message = await outbox.enqueue(unit, phone, f"{body} {i}", kind="test", **options)
            await unit.session.flush()
            ids.append(message.id)
    return ids


async def queue_to_many(chopbar, n: int) -> list[int]:
    """n messages, each to a number of its own (the watched sender looks a message up by number)."""
    ids = []
    for i in range(n):
        ids += await queue(chopbar, phone=f"+2376995560{i:02d}", body=f"Message {i}")
    return ids


async def messages(chopbar, ids):
    async with chopbar.app[DATABASE].unit() as unit:
        return list(await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))


async def slow_gateway(chopbar, delay_s=0.05) -> None:
    response = await chopbar.post("/sim/at/faults", json={"delay_s": delay_s})
    assert response.status == 200 and (await response.json())["delay_s"] == delay_s


async def shown(chopbar, phone=PHONE) -> list[dict]:
    return await (await chopbar.get("/sim/messages", params={"to": phone})).json()


async def test_a_queued_message_is_sent_then_reported_delivered(chopbar, workers, gateway):
    ids = await queue(chopbar)
    worker = workers()
    assert await worker.run() == 1
    await gateway.drain()
    [message] = await messages(chopbar, ids)
    assert message.status == "delivered" and message.provider_message_id.startswith("ATXid_")
    assert gateway.sent[-1] == {**gateway.sent[-1], "to": PHONE, "text": "Bonjour, votre commande est prete à etre livrée 0"}
    assert (await shown(chopbar))[-1]["status"] == "delivered"


async def test_sms_text_is_made_gsm7_safe(chopbar, workers, gateway):
    await queue(chopbar, body="Prête, reçu ’ok’")
    worker = workers()
    await worker.run()
    assert gateway.sent[-1]["text"].startswith("Prete, recu 'ok'")


async def test_every_message_is_committed_as_handed_over_before_it_reaches_the_gateway(chopbar, workers, gateway):
    await slow_gateway(chopbar)
    ids = await queue_to_many(chopbar, 20)
    worker = workers(wrap=Watched, concurrency=4)
    assert await worker.run() == 20
    watched = worker.senders["sms"]
    assert 1 < watched.most <= 4
    assert len(watched.seen) == 20 and all(status == "sending" and handed for _, status, handed in watched.seen)
    assert {m.status for m in await messages(chopbar, ids)} <= {"sent", "delivered"}
    assert len(gateway.sent) == len({m["text"] for m in gateway.sent}) == 20


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_a_worker_claims_twice_its_concurrency_at_a_time(chopbar, workers, concurrency):
    await queue(chopbar, n=20)
    worker = workers(concurrency=concurrency)
    assert len(await worker.claim()) == 2 * concurrency


async def test_a_worker_killed_between_claim_and_send_leaves_each_message_sent_exactly_once(chopbar, workers, gateway, clock):
    ids = await queue(chopbar, n=3)
    crashed = workers("crashed")
    assert len(await crashed.claim()) == 3  # claimed, then the process dies before handing any over
    survivor = workers("survivor")
    assert await survivor.run() == 0  # the claims are still fresh: nothing is sent twice
    clock.advance(seconds=61)
    assert await survivor.run() == 3
    assert await survivor.run() == 0
    await gateway.drain()
    assert sorted(m["text"][-1] for m in gateway.sent if m["to"] == PHONE) == ["0", "1", "2"]
    assert {m.status for m in await messages(chopbar, ids)} == {"delivered"}


async def test_a_lapsed_claim_is_never_retaken_by_the_worker_still_holding_it(chopbar, workers, clock):
    await queue(chopbar, n=3)
    slow = workers("slow")
    assert len(await slow.claim()) == 3
    clock.advance(seconds=61)
    assert await slow.run() == 0  # its own lanes may still be sending them: only another worker takes them
    assert await workers("other").run() == 3


async def test_a_message_at_the_gateway_when_its_worker_died_is_the_one_sent_again(chopbar, workers, gateway, clock):
    ids = await queue(chopbar, n=3)
    dying = workers("dying", wrap=Dying, concurrency=1)
    run = asyncio.ensure_future(dying.run())
    while not gateway.sent:
        await asyncio.sleep(0.01)
    run.cancel()  # cut off mid-call: no answer recorded; what it had not handed over goes back
    await asyncio.gather(run, return_exceptions=True)
    first, *rest = await messages(chopbar, ids)
    assert (first.status, first.handed_at is not None) == ("sending", True)
    assert [(m.status, m.claimed_by, m.handed_at) for m in rest] == [("queued", None, None)] * 2
    survivor = workers("survivor")
    assert await survivor.run() == 2  # the released ones at once; the handed-over one waits for its lease
    clock.advance(seconds=61)
    assert await survivor.run() == 1
    await gateway.drain()
    texts = sorted(m["text"] for m in gateway.sent if m["to"] == PHONE)
    assert [t[-1] for t in texts] == ["0", "0", "1", "2"]  # the handed-over one twice, nothing lost
    assert {m.status for m in await messages(chopbar, ids)} == {"delivered"}


async def test_a_stopped_worker_finishes_its_sends_and_puts_back_what_it_had_not_handed_over(chopbar, workers, gateway):
    await slow_gateway(chopbar)
    ids = await queue(chopbar, n=30)
    worker = workers("stopping", concurrency=2)
    run = asyncio.ensure_future(worker.run())
    while len(gateway.sent) < 3:
        await asyncio.sleep(0.01)
    worker.stop()
    handled = await run
    rows = await messages(chopbar, ids)
    sent = [m for m in rows if m.status in ("sent", "delivered")]
    back = [m for m in rows if m.status == "queued"]
    assert len(sent) + len(back) == 30 and back and handled <= 30
    assert all(m.claimed_by is None and m.handed_at is None for m in back)
    assert len([m for m in gateway.sent if m["to"] == PHONE]) == len(sent)
    other = workers("other")
    assert await other.run() == len(back)  # at once: no lease to wait for
    texts = [m["text"] for m in gateway.sent if m["to"] == PHONE]
    assert len(texts) == len(set(texts)) == 30


async def test_a_database_blip_while_an_answer_is_written_is_ridden_out(chopbar, workers, gateway):
    ids = await queue(chopbar, n=2)
    worker = workers(concurrency=1)
    write, blips = worker._ours, []

    async def flaky(unit, message_id, values):
        if values.get("status") == "sent" and not blips:
            blips.append(message_id)
            raise database_refused()
        return await write(unit, message_id, values)

    worker._ours = flaky
    assert await worker.run() == 2
    assert blips and {m.status for m in await messages(chopbar, ids)} <= {"sent", "delivered"}
    assert len([m for m in gateway.sent if m["to"] == PHONE]) == 2  # written on the second try, sent once


async def test_a_database_outage_mid_run_is_raised_for_the_job_loop_and_loses_nothing(chopbar, workers, gateway):
    ids = await queue(chopbar, n=20)
    worker = workers(concurrency=2)
    claim, claims = worker.claim, []

    async def failing_after_one():
        claims.append(1)
        if len(claims) > 1:
            raise database_refused()
        return await claim()

    worker.claim = failing_after_one
    with pytest.raises(OperationalError):
        await worker.run()
    rows = await messages(chopbar, ids)
    assert {m.status for m in rows[:4]} <= {"sent", "delivered"}  # the one batch claimed before the outage
    assert {(m.status, m.claimed_by) for m in rows[4:]} == {("queued", None)}
    worker.claim = claim
    assert await worker.run() == 16


async def test_two_workers_at_once_send_each_message_once(chopbar, workers, gateway):
    await queue(chopbar, n=20)
    first, second = workers("a"), workers("b")
    await asyncio.gather(first.run(), second.run(), first.run(), second.run())
    texts = [m["text"] for m in gateway.sent if m["to"] == PHONE]
    assert len(texts) == len(set(texts)) == 20


async def test_a_failing_gateway_is_retried_with_backoff(chopbar, workers, gateway, clock):
    ids = await queue(chopbar)
    assert (await chopbar.post("/sim/at/faults", json={"fail_status": 500})).status == 200
    worker = workers()
    await worker.run()
    [message] = await messages(chopbar, ids)
    assert (message.status, message.attempts, message.handed_at) == ("queued", 1, None)
    assert message.next_attempt_at > clock.now
    assert (await chopbar.post("/sim/at/faults")).status == 200  # an empty POST lifts the faults
    assert await worker.run() == 0  # not before its time
    clock.advance(seconds=3)
    await worker.run()
    [message] = await messages(chopbar, ids)
    assert message.status == "sent"



async def test_a_gateway_asking_us_to_slow_down_is_retried_later(chopbar, workers, gateway, clock):
    ids = await queue(chopbar)
    assert (await chopbar.post("/sim/at/faults", json={"fail_status": 429})).status == 200
    await workers().run()
    [message] = await messages(chopbar, ids)
    assert (message.status, message.attempts) == ("queued", 1) and message.last_error.startswith("HTTP 429")
    assert message.next_attempt_at > clock.now

async def test_a_number_that_said_stop_gets_nothing_more(chopbar, workers, gateway):
    await text(chopbar, PHONE, "STOP")
    await queue(chopbar, body="Promo")
    worker = workers()
    await worker.run()
    sent = [m["text"] for m in gateway.sent if m["to"] == PHONE]
    assert len(sent) == 1 and "START" in sent[0]


async def test_after_stop_an_order_in_progress_still_speaks_and_the_chat_does_not(chopbar, workers, gateway):
    customer = demo.CUSTOMER_FR.phone
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    await text(chopbar, customer, "STOP")
    await text(chopbar, customer, "aide")  # chat: ended by STOP
    await text(chopbar, customer, f"STATUT {code}")  # about the order: answered
    await text(chopbar, demo.ALL_DAY_YAOUNDE.phone, f"OUI {code} 20")  # the customer is told
    worker = workers()
    while await worker.run():
        pass
    got = sorted(m["text"] for m in gateway.sent if m["to"] == customer)  # lanes send side by side: any order
    assert len(got) == 3, got
    assert [sum(word in m for m in got) for word in ("START", "En attente", "20 min")] == [1, 1, 1], got
    async with chopbar.app[DATABASE].unit() as unit:
        stopped = (await unit.session.execute(
            select(OutboxMessage.kind, OutboxMessage.last_error).where(OutboxMessage.to_phone_key == blind(customer), OutboxMessage.status == "failed")
        )).all()
    assert stopped == [("customer.reply", "recipient said STOP")]


async def test_a_code_is_masked_once_sent_and_the_phone_still_reads_it(chopbar, workers, gateway, settings):
    body = "Code 4821 pour la commande 482137; livreur +237699554821"
    ids = await queue(chopbar, body=body, secret="4821")
    [queued] = await messages(chopbar, ids)
    assert (queued.body, queued.redacted_body) == (f"{body} 0", "Code **** pour la commande 482137; livreur +237699554821 0")
    await workers().run()
    [message] = await messages(chopbar, ids)
    assert (message.body, message.redacted_body) == ("Code **** pour la commande 482137; livreur +237699554821 0", None)
    assert gateway.sent[-1]["text"] == f"{body} 0"
    assert (await shown(chopbar))[-1]["text"] == f"{body} 0"  # as the phone received it
    screen: list[str] = []
    await TerminalPhone(settings.self_url, PHONE, "*384*2468#", out=screen.append).show_messages(None, only_new=False)
    assert screen[-1].endswith(f"{body} 0")


async def test_a_code_given_up_is_masked_too(chopbar, workers, gateway):
    ids = await queue(chopbar, body="Votre code: 915204", secret="915204")
    assert (await chopbar.post("/sim/at/faults", json={"fail_status": 400})).status == 200
    await workers().run()
    [message] = await messages(chopbar, ids)
    assert (message.status, message.body, message.redacted_body) == ("failed", "Votre code: ****** 0", None)
    assert (await shown(chopbar))[-1]["text"] == "Votre code: ****** 0"  # the phone never got it


async def test_a_code_refused_by_stop_is_masked(chopbar, workers, gateway):
    await text(chopbar, PHONE, "STOP")
    ids = await queue(chopbar, body="Offre 1234", secret="1234")  # `test` kind: STOP ends it
    await workers().run()
    [message] = await messages(chopbar, ids)
    assert (message.status, message.body, message.redacted_body) == ("failed", "Offre **** 0", None)


async def test_a_code_going_to_sms_outside_the_whatsapp_window_stays_masked_there(chopbar, workers, settings):
    ids = await queue(chopbar, body="Code 7731", secret="7731", channel="whatsapp")
    worker = workers()
    worker.senders["whatsapp"] = WhatsAppCloud(f"{settings.self_url}/sim/meta", "v21.0", "100200300400500", "token")
    while await worker.run():  # refused by WhatsApp, queued again as an SMS, sent
        pass
    [message] = await messages(chopbar, ids)
    assert (message.channel, message.status, message.body) == ("sms", "sent", "Code **** 0")
    assert not chopbar.app[SIM_WHATSAPP].sent
    assert (await shown(chopbar))[-1]["text"] == "Code 7731 0"


async def test_the_handover_code_reaches_the_customer_and_is_not_kept(chopbar, workers):
    code, _driver = await picked_up_order(chopbar)
    worker = workers()
    while await worker.run():
        pass
    async with chopbar.app[DATABASE].unit() as unit:
        [message] = await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "delivery.on_the_way"))
    handover = (await order(chopbar, code)).handover_code
    assert message.status in ("sent", "delivered") and message.redacted_body is None
    assert handover not in message.body.split() and "****" in message.body
    received = (await shown(chopbar, demo.CUSTOMER_FR.phone))[-1]["text"]
    assert received.endswith(handover) and code in received


async def test_gateway_faults_are_shown_and_bad_ones_get_400(chopbar):
    await slow_gateway(chopbar, 0.01)
    assert await (await chopbar.get("/sim/at/faults")).json() == {"delay_s": 0.01, "fail_status": None}
    for bad in ({"delay_s": -1}, {"delay_s": "1"}, {"fail_status": 200}, {"drop": True}, [], "x"):
        response = await chopbar.post("/sim/at/faults", json=bad)
        assert response.status == 400 and (await response.json())["error"]["code"] == "bad_input"
    assert (await chopbar.post("/sim/at/faults", data=b"{not json")).status == 400
    assert await (await chopbar.get("/sim/at/faults")).json() == {"delay_s": 0.01, "fail_status": None}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["delay_s", "fail_status", "x"]), inner, max_size=3),
    max_leaves=8,
)


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(body=json_values)
async def test_any_faults_body_gets_200_or_400(chopbar, body):
    response = await chopbar.post("/sim/at/faults", data=json.dumps(body))
    assert response.status in (200, 400)
    await chopbar.post("/sim/at/faults")


async def test_the_official_africastalking_sdk_sends_through_our_simulator(chopbar, settings, gateway):
    africastalking.initialize("sandbox", "sim-at-api-key")
    sms = africastalking.SMS
    sms._baseUrl = f"{settings.self_url}/sim/at/version1"  # the SDK's own base, pointed at the simulator
    answer = await asyncio.to_thread(sms.send, "Hello from the SDK", [PHONE])
    assert answer["SMSMessageData"]["Recipients"][0]["status"] == "Success"
    assert gateway.sent[-1]["text"] == "Hello from the SDK"
