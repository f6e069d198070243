"""The `chopbar` command as an operator runs it: production refuses development secrets; an empty
database gets its gazetteer and its first admin."""
import asyncio
import base64
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jwt
import pytest
from sqlalchemy import func, select

from chopbar.settings import Settings
from core.db import Database
from core.models import Account, AuditEvent, Quarter, Restaurant
from core.quarters import load_quarters
from tests import redis_keys
from tests.conftest import free_port

SECRETS = Settings().secret_names()
STARTUP_S = 60  # migrations and imports on a busy machine; the test stops waiting there


def command() -> list[str]:
    """The installed `chopbar` script beside this interpreter, as `./run` starts it."""
    script = Path(sys.executable).with_name("chopbar")
    return [str(script)] if script.exists() else [sys.executable, "-m", "chopbar.cli"]


def production_env(database_url: str, port: int, **more: str) -> dict[str, str]:
    """This machine's environment without any CHOPBAR_ setting, then a real provider configured
    (it is never called: the test stops the service first) and the test's own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOPBAR_")}
    env.update(
        CHOPBAR_AT_BASE_URL="http://127.0.0.1:9", CHOPBAR_DATABASE_URL=database_url, CHOPBAR_HOST="127.0.0.1",
        CHOPBAR_PORT=str(port), CHOPBAR_RUN_WORKER="0", CHOPBAR_SEED_DEMO="0",
    )
    if os.environ.get("CHOPBAR_REDIS_URL"):
        env.update(CHOPBAR_REDIS_URL=os.environ["CHOPBAR_REDIS_URL"], CHOPBAR_REDIS_PREFIX=redis_keys.prefix("cli-"))
    env.update(more)
    return env


def get(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_and_worker_refuse_the_development_secrets_in_production(database_url):
    for name in ("serve", "worker"):
        done = subprocess.run([*command(), name], env=production_env(database_url, free_port()), capture_output=True,
                              text=True, timeout=STARTUP_S)
        assert done.returncode != 0, done.stderr
        assert done.stderr.startswith("Chopbar will not start"), done.stderr
        for secret in SECRETS:
            assert f"CHOPBAR_{secret.upper()}" in done.stderr


def test_serve_with_every_secret_set_starts_without_simulators_and_refuses_a_development_token(database_url, tmp_path):
    port = free_port()
    chosen = {f"CHOPBAR_{name.upper()}": secrets.token_urlsafe(32) for name in SECRETS}
    chosen["CHOPBAR_DATA_KEYS"] = f"k1:{secrets.token_urlsafe(32)}"  # a data key is id:base64 of 32 bytes
    logs = (tmp_path / "serve.log").open("w+")  # a file, not a pipe: a full pipe would block the service
    service = subprocess.Popen([*command(), "serve"], env=production_env(database_url, port, **chosen),
                               stdout=subprocess.DEVNULL, stderr=logs)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_S
        while service.poll() is None and time.monotonic() < deadline:
            try:
                if get(f"{base}/healthz") == 200:
                    break
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        assert service.poll() is None, (tmp_path / "serve.log").read_text()
        assert get(f"{base}/healthz") == 200
        assert get(f"{base}/sim/actors") == 404  # production: the simulators are not mounted
        forged = jwt.encode({"sub": "1", "phone": "+237677000099", "roles": ["admin"], "exp": int(time.time()) + 600,
                             "jti": "x"}, Settings().jwt_secret.get_secret_value(), algorithm="HS256")
        assert get(f"{base}/api/v1/admin/audit", headers={"Authorization": f"Bearer {forged}"}) == 401
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(timeout=20)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()
        logs.close()


@pytest.fixture
def empty_database_url(databases):
    url = databases.fresh(migrated=False)
    yield url
    databases.drop(url)


def cli(database_url: str, *args: str, **more: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOPBAR_")}
    env.update(CHOPBAR_DATABASE_URL=database_url, CHOPBAR_LOG_LEVEL="WARNING", **more)
    return subprocess.run([*command(), *args], env=env, capture_output=True, text=True, timeout=STARTUP_S)


async def _stored(database_url: str) -> tuple[int, int, list[tuple[str, list[str]]], int]:
    db = Database(database_url)
    try:
        async with db.unit() as unit:
            accounts = [(a.phone, sorted(r.role for r in a.roles)) for a in await unit.session.scalars(select(Account))]
            return (await unit.session.scalar(select(func.count(Quarter.id))),
                    await unit.session.scalar(select(func.count(Restaurant.id))), accounts,
                    await unit.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.trigger == "make_admin")))
    finally:
        await db.close()


def test_seed_gazetteer_migrates_an_empty_database_and_loads_the_quarters_once(empty_database_url):
    first = cli(empty_database_url, "seed", "--gazetteer")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"{len(load_quarters())} quarters added to the gazetteer"
    again = cli(empty_database_url, "seed", "--gazetteer")
    assert again.returncode == 0 and again.stdout.strip() == "the gazetteer is complete: nothing added"
    quarters, restaurants, accounts, _ = asyncio.run(_stored(empty_database_url))
    assert (quarters, restaurants, accounts) == (len(load_quarters()), 0, [])


def test_admin_opens_the_account_gives_the_role_once_and_refuses_a_bad_number(empty_database_url):
    assert cli(empty_database_url, "migrate").returncode == 0
    bad = cli(empty_database_url, "admin", "12345")
    assert bad.returncode != 0 and "'12345' is not a valid phone number" in bad.stderr, bad.stderr
    made = cli(empty_database_url, "admin", "677 00 01 23")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("+237677000123 is now an admin (account ") and "opened now" in made.stdout
    again = cli(empty_database_url, "admin", "+237677000123")
    assert again.returncode == 0 and "is an admin already" in again.stdout and "nothing changed" in again.stdout
    _, _, accounts, audited = asyncio.run(_stored(empty_database_url))
    assert accounts == [("+237677000123", ["admin", "customer"])] and audited == 1


def test_rekey_seals_everything_under_the_new_key_then_the_old_one_may_go(database_url):
    from chopbar.settings import Settings

    dev = Settings().data_keys.get_secret_value()
    new = f"k2:{base64.b64encode(os.urandom(32)).decode()}"
    refused = cli(database_url, "rekey", CHOPBAR_DATA_KEYS=new)
    assert refused.returncode != 0 and "'dev1'" in refused.stderr and "CHOPBAR_DATA_KEYS" in refused.stderr
    done = cli(database_url, "rekey", "--batch", "7", CHOPBAR_DATA_KEYS=f"{new},{dev}")
    assert done.returncode == 0, done.stderr
    assert "accounts: " in done.stdout and "none is left under another key" in done.stdout
    again = cli(database_url, "rekey", CHOPBAR_DATA_KEYS=new)  # dev1 dropped: every value reads under k2
    assert again.returncode == 0 and again.stdout.strip().splitlines()[-1].startswith("0 of "), again.stdout
