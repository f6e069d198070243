"""Redis taken away mid-traffic and brought back: no 500 anywhere, USSD screens stay valid, every
text is accepted and answered once Redis is back, and the service recovers without a restart."""
import asyncio
import shutil
import socket
import subprocess
import time

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from channels.keys import HUB
from chopbar.app import create_app
from core.models import OutboxMessage
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_realtime import RESTAURANT, read_events
from tests.payments import placed_order
from tests.sms import text
from tests.conftest import free_port
from tests.faults.outage_traffic import Traffic, eventually, kept, replies_owed, still_kept
from core.sealing import blind

NUMBERS = ["+237699300001", "+237677300002", "+237655300003"]
TWILIO_NUMBER = "+237699300050"
TWILIO_CHAT_NUMBER = "+237699300051"


class RedisServer:
    """A redis-server of this test's own, on a port of its own, nothing saved."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                await asyncio.sleep(0.05)
        redis = Redis.from_url(self.url)
        try:
            assert await redis.ping()
        finally:
            await redis.aclose()

    def kill(self) -> None:
        """As a crash would: no goodbye to the connected clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
async def redis_server():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port())
    await server.start()
    yield server
    server.kill()


@pytest.fixture
async def service(aiohttp_server, aiohttp_client, settings, clock, redis_server):
    """The whole service against its own Redis."""
    ours = settings.model_copy(update=dict(redis_url=redis_server.url))
    server = await aiohttp_server(create_app(ours, clock=clock), host="127.0.0.1", port=ours.port)
    return await aiohttp_client(server)


async def test_redis_going_away_mid_traffic_gives_no_500_and_loses_no_text(service, redis_server, db):
    traffic = Traffic(service, token=(await sign_in(service))["access_token"])
    await traffic.round(NUMBERS, chat_number="+237699300010")
    session = await traffic.dial("+237699300020", "1")  # a session under way when Redis goes

    async def crash_midway() -> None:
        await asyncio.sleep(0.05)
        redis_server.kill()

    await asyncio.gather(traffic.round(NUMBERS), crash_midway())
    await traffic.round(NUMBERS, chat_number="+237699300011")
    assert "<Message>" not in await traffic.twilio(TWILIO_NUMBER, "MENU")  # no answer now: it comes later, by SMS
    assert "<Message>" not in await traffic.twilio(TWILIO_CHAT_NUMBER, "hi", whatsapp=True)  # nor for a chat
    await traffic._hop(session.press("1"))
    assert session.last.raw.startswith("CON ")  # the session goes on from process memory
    assert 503 in traffic.statuses  # the signed-in calls: the revocation list is in Redis
    assert await traffic.rest("/api/v1/restaurants?city=Yaounde") == 200  # its rate limit counted in memory
    assert traffic.problems == []
    assert await kept(db) > 0  # texts that needed Redis wait in the database

    await redis_server.start()
    assert await eventually(lambda: _ready(service)), "readiness never came back"
    fresh = await traffic.dial("+237699300030")
    assert fresh.last.raw.startswith("CON ")
    assert await traffic.rest("/api/v1/restaurants?city=Yaounde") == 200
    assert await traffic.rest("/api/v1/orders", signed_in=True) == 200
    await traffic.round(NUMBERS, chat_number="+237699300012")
    assert traffic.problems == []

    async def all_answered():
        owed = await replies_owed(db, traffic)
        return owed if set(owed.values()) == {1} and not await still_kept(db) else None

    assert await eventually(all_answered), await replies_owed(db, traffic)
    [later] = await outbox_to(db, TWILIO_NUMBER)
    assert (later.channel, later.status) == ("sms", "queued")  # sent by the worker, as any SMS
    [chat] = await outbox_to(db, TWILIO_CHAT_NUMBER)  # Twilio's chat too: the outbox's WhatsApp is Meta's
    assert (chat.channel, chat.status, chat.kind) == ("sms", "queued", "dialog.reply") and "1" in chat.body


async def test_a_session_store_outage_is_told_once_in_the_log_not_per_hop(service, redis_server, caplog):
    traffic = Traffic(service)
    redis_server.kill()
    for _ in range(5):
        await traffic.dial("+237699300040", "1")
    assert traffic.problems == []
    gone = [r for r in caplog.records if r.getMessage() == "redis unreachable"]
    assert len(gone) == 1


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status == 200


async def test_live_streams_go_on_through_an_outage_and_the_hub_listens_again_after(service, redis_server, db, caplog):
    code = await placed_order(db, method="cash")
    stream = await service.get(f"/api/v1/orders/{code}/events", headers=bearer(await sign_in(service)))
    [placed] = await read_events(stream, 1)
    redis_server.kill()
    await text(service, RESTAURANT, f"OUI {code} 15")  # announcing it fails: this process's clients still hear it
    [accepted] = await read_events(stream, 1)
    await redis_server.start()
    hub = service.app[HUB]
    redis = Redis.from_url(redis_server.url)
    try:
        async def listening() -> bool:
            return dict(await redis.pubsub_numsub(hub.news.channel)).get(hub.news.channel.encode(), 0) == 1

        assert await eventually(listening), "the hub never subscribed again"
    finally:
        await redis.aclose()
    await text(service, RESTAURANT, f"PRET {code}")  # announced on Redis again, and heard back
    [ready] = await read_events(stream, 1)
    stream.close()
    assert [e["change"] for e in (placed, accepted, ready)] == ["place", "accept", "mark_ready"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # no task error, no traceback


async def outbox_to(db, phone: str) -> list[OutboxMessage]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(phone))))
