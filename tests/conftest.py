"""Shared fixtures: a fresh database per test, a settable clock, the app over HTTP; and the test tiers.

Every test is one of three tiers, so each runs alone (`./run test -m unit`, `-m integration`, `-m e2e`):
- unit: plain code, no database, no server (a few seconds in all);
- integration: the core, the dialog engine or a store on a real database (SQLite, or PostgreSQL and
  Redis when the CHOPBAR_* URLs say so), with no HTTP in between;
- e2e: the service over HTTP as gateways, providers and apps meet it, or as processes (CLI, worker).
A test is put in its tier by what it uses (its fixtures, its folder); a tier marker written on a
test or module wins.
"""
import os
import socket
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

from chopbar.app import create_app
from chopbar.settings import Settings
from core import sealing
from core.db import Database
from tests import redis_keys
from tests.databases import Databases

# The development keys, as every composition root installs them: tests that build no app still seal.
sealing.install(Settings().keyring())

# CI runs the same examples every time (a landing is never decided by the draw); runs elsewhere
# search afresh, with more examples, and a failure they find becomes a test of its own.
hypothesis_settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Tuesday 24 November 2026, 12:30 in Douala: lunchtime, when most demo restaurants are open.
LUNCHTIME = datetime(2026, 11, 24, 11, 30, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = LUNCHTIME) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(scope="session")
def databases():
    pool = Databases(Path(tempfile.mkdtemp(prefix="chopbar-tests-")))
    yield pool
    pool.close()


@pytest.fixture(scope="session", autouse=True)
def redis_cleaned():
    """At the run's end, every Redis key its tests and their processes wrote is deleted."""
    yield
    if os.environ.get("CHOPBAR_REDIS_URL"):
        redis_keys.forget_run(os.environ["CHOPBAR_REDIS_URL"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database_url(databases):
    url = databases.fresh(seeded=True)
    yield url
    databases.drop(url)


@pytest.fixture
async def settings(database_url, tmp_path):
    """Settings for one test; its Redis keys carry a prefix of their own and are deleted after,
    and its inbound spool is a file of its own."""
    redis_url = os.environ.get("CHOPBAR_REDIS_URL", "")
    prefix = redis_keys.prefix()
    yield Settings(
        database_url=database_url, redis_url=redis_url, redis_prefix=prefix, seed_demo=False, run_worker=False,
        host="127.0.0.1", port=free_port(), spool_path=str(tmp_path / "inbound-spool.jsonl"),
    )
    if redis_url:
        from redis.asyncio import Redis

        redis = Redis.from_url(redis_url)
        keys = [key async for key in redis.scan_iter(match=prefix + "*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


@pytest.fixture
async def db(database_url, clock):
    database = Database(database_url, clock=clock)
    yield database
    await database.close()


@pytest.fixture
async def chopbar(aiohttp_client, aiohttp_server, settings, clock):
    """The whole service over HTTP, on a fresh seeded database, on the port its settings name
    (the simulators call it back there, as the real providers would)."""
    server = await aiohttp_server(create_app(settings, clock=clock), host="127.0.0.1", port=settings.port)
    return await aiohttp_client(server)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TIERS = ("unit", "integration", "e2e")
_OVER_HTTP = {"chopbar", "aiohttp_client", "aiohttp_server"}
_ON_A_DATABASE = {"database_url", "databases", "db", "settings"}
_AS_PROCESSES = ("faults", "browser", "test_cli.py", "test_end_to_end.py")  # servers and workers started as processes


def pytest_collection_modifyitems(items):
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        fixtures = set(item.fixturenames)
        parts = Path(str(item.fspath)).parts
        if fixtures & _OVER_HTTP or any(part in parts for part in _AS_PROCESSES):
            item.add_marker("e2e")
        elif fixtures & _ON_A_DATABASE:
            item.add_marker("integration")
        else:
            item.add_marker("unit")
