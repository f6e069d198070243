"""PostgreSQL cut off mid-traffic (a TCP proxy of the test's own between the service and it) and
brought back: no 500, USSD screens stay valid (browsing from the catalog snapshot), texts kept
in the local spool are answered once it is back, and the service recovers without a restart."""
import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from chopbar.app import create_app
from core.catalog import RELOAD_RETRY_S, CatalogCache
from core.db import Database
from tests.channels.test_api_auth import sign_in
from tests.conftest import free_port
from tests.faults.outage_traffic import Traffic, eventually, replies_owed, still_kept
from tests.ussd import pick

NUMBERS = ["+237699400001", "+237677400002", "+237655400003"]


class Proxy:
    """Forwards TCP connections to PostgreSQL until cut: then refuses new ones and drops every
    open one mid-stream, as a network that fails would."""

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port = port
        self.target = target
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()
        self.pipes: set[asyncio.Task] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.links |= {writer, upstream_writer}
        for source, sink in ((reader, upstream_writer), (upstream_reader, writer)):
            task = asyncio.ensure_future(self._pipe(source, sink))
            self.pipes.add(task)
            task.add_done_callback(self.pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            sink.close()

    async def cut(self) -> None:
        self.server.close()
        await self.server.wait_closed()
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()
        for task in list(self.pipes):
            task.cancel()
        await asyncio.gather(*self.pipes, return_exceptions=True)


@pytest.fixture
async def proxy(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the database outage is PostgreSQL's: SQLite is a file of this process")
    url = make_url(database_url)
    proxy = Proxy(free_port(), (url.host or "127.0.0.1", url.port or 5432))
    await proxy.start()
    yield proxy
    await proxy.cut()


@pytest.fixture
async def service(aiohttp_server, aiohttp_client, settings, clock, proxy):
    through_proxy = make_url(settings.database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    ours = settings.model_copy(update=dict(database_url=through_proxy))
    server = await aiohttp_server(create_app(ours, clock=clock), host="127.0.0.1", port=ours.port)
    return await aiohttp_client(server)


@pytest.fixture
async def direct_db(database_url, clock):
    """The test's own way to the database, round the proxy."""
    database = Database(database_url, clock=clock)
    yield database
    await database.close()


async def test_the_database_going_away_mid_traffic_gives_no_500_and_loses_no_text(service, proxy, direct_db, settings):
    traffic = Traffic(service, token=(await sign_in(service))["access_token"])
    await traffic.round(NUMBERS, chat_number="+237699400010")
    browsing = await traffic.dial("+237699400020", "1", "1")  # a session choosing a restaurant when it goes

    async def cut_midway() -> None:
        await asyncio.sleep(0.05)
        await proxy.cut()

    await asyncio.gather(traffic.round(NUMBERS), cut_midway())
    await traffic.round(NUMBERS, chat_number="+237699400011")
    restaurants = await pick(browsing, "Mama Africa")
    assert not browsing.last.ended, restaurants  # browsing goes on from the catalog snapshot
    stranger = await traffic.dial("+237699400040")  # who calls, in which language: the database knows
    assert stranger.last.raw.startswith("END ") and "indisponible" in stranger.last.raw and "unavailable" in stranger.last.raw
    for path, body in (("/sms/africastalking/delivery", {"data": {"id": "ATXid_d1", "status": "Success", "phoneNumber": NUMBERS[0]}}),
                       ("/payments/mtn/callback", {"json": {"externalId": "pay-1", "status": "SUCCESSFUL", "financialTransactionId": "1"}})):
        response = await service.post(path, **body)  # the provider retries: nothing is lost
        assert (response.status, (await response.json())["error"]["code"]) == (503, "unavailable") and response.headers["Retry-After"]
    assert traffic.problems == []
    assert 503 in traffic.statuses
    spooled = _spooled(settings.spool_path)
    assert spooled and set(spooled) <= set(traffic.texts) | set(traffic.chats)

    await proxy.start()
    assert await eventually(lambda: _ready(service)), "readiness never came back"
    fresh = await traffic.dial("+237699400030")
    assert fresh.last.raw.startswith("CON ")
    assert await traffic.rest("/api/v1/restaurants?city=Yaounde") == 200
    assert await traffic.rest("/api/v1/orders", signed_in=True) == 200
    await traffic.round(NUMBERS, chat_number="+237699400012")
    assert traffic.problems == []

    async def all_answered():
        owed = await replies_owed(direct_db, traffic)
        return owed if set(owed.values()) == {1} and not await still_kept(direct_db) else None

    assert await eventually(all_answered), await replies_owed(direct_db, traffic)
    assert _spooled(settings.spool_path) == []  # the spool went into the database, then away


async def test_the_catalog_serves_its_last_snapshot_while_the_database_is_away(db, away):
    now = [0.0]
    cache = CatalogCache(db, ttl_s=10, clock=lambda: now[0])
    snapshot = await cache.get()
    cache.db, now[0] = away, 11.0  # stale, and the reload fails
    assert await cache.get() is snapshot
    cache.invalidate()
    assert await cache.get() is snapshot
    cache.db, now[0] = db, 11.0 + RELOAD_RETRY_S  # back: the next read after the pause reloads
    assert await cache.get() is not snapshot
    with pytest.raises(Exception):  # no snapshot yet: nothing to serve, the caller's outage
        await CatalogCache(away).get()


def _spooled(spool_path: str) -> list[str]:
    """Ids of the messages in the spool and in taken files not yet done."""
    path = Path(spool_path)
    files = [path] + sorted(path.parent.glob(path.name + ".taken-*"))
    return [json.loads(line)["message_id"] for f in files if f.exists() for line in f.read_text().splitlines() if line]


async def _ready(client) -> bool:
    return (await client.get("/readyz")).status == 200
