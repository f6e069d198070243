"""Backup and restore as an operator runs them: orders placed and paid over HTTP, deploy/backup.sh
dumps the database with pg_dump, restores it into a fresh, empty one with pg_restore, and the copy
holds every order, the same balanced ledger and readable sealed numbers, and serves a dial.
PostgreSQL only: SQLite's database is a file, copied as one."""
import asyncio
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.jobs import PaymentJobs
from chopbar.app import create_app
from chopbar.providers import payment_router
from core import ledger
from core.accounts import find_account
from core.db import Database
from core.models import Order
from tests import redis_keys
from tests.channels.test_payments_over_http import MTN_CUSTOMER, ORANGE_CUSTOMER, settle, ussd_order
from tests.conftest import free_port
from tests.databases import server_url
from tests.test_cli import command
from tests.ussd import gateway_for

pytestmark = pytest.mark.skipif(
    not server_url(), reason="pg_dump and pg_restore back up PostgreSQL: set CHOPBAR_DATABASE_URL to a server"
)
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "backup.sh"
TOOL_S = 120  # pg_dump, pg_restore or a migration on a busy machine


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, env={**os.environ, **env}, capture_output=True, text=True, timeout=TOOL_S)


async def snapshot(db: Database):
    """Every order's code with its total and state, and every ledger account's balance."""
    async with db.unit() as unit:
        orders = {o.code: (o.total_xaf, o.status) for o in await unit.session.scalars(select(Order))}
        return orders, await ledger.balances(unit), await ledger.is_balanced(unit)


async def revision(db: Database) -> str:
    async with db.unit() as unit:
        return await unit.session.scalar(text("SELECT version_num FROM alembic_version"))


async def test_a_backup_restored_into_a_fresh_database_holds_every_order_and_the_balanced_ledger(
    chopbar, settings, databases, database_url, tmp_path, aiohttp_server, aiohttp_client
):
    book = chopbar.app[SIM_PAYMENTS]
    payments = PaymentJobs(chopbar.app[DATABASE], payment_router(settings))
    try:
        paid = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money", deliver=True)
        await settle(payments, book)
        asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
        await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
        await settle(payments, book)
        waiting = await ussd_order(chopbar, ORANGE_CUSTOMER, "Orange Money")
        collected = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    finally:
        await payments.router.close()
    orders, balances, balanced = await snapshot(chopbar.app[DATABASE])
    assert {paid, waiting, collected} <= set(orders) and balanced
    assert balances.get("provider:mtn") == orders[paid][0]  # the payment is in the ledger

    made = await asyncio.to_thread(run, str(SCRIPT), "backup", str(tmp_path / "backups"), CHOPBAR_DATABASE_URL=database_url)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == tmp_path / "backups" and dump.name.startswith("chopbar-") and dump.suffix == ".dump"
    assert not list(dump.parent.glob("*.partial"))

    restored_url = await asyncio.to_thread(databases.fresh, migrated=False)  # created empty, named for this run
    try:
        put = await asyncio.to_thread(run, str(SCRIPT), "restore", str(dump), restored_url)
        assert put.returncode == 0, put.stderr
        again = await asyncio.to_thread(run, str(SCRIPT), "restore", str(dump), restored_url)
        assert again.returncode == 1 and "restore into a fresh, empty one" in again.stderr

        restored = Database(restored_url)
        try:
            before = await revision(restored)
            migrated = await asyncio.to_thread(run, *command(), "migrate", CHOPBAR_DATABASE_URL=restored_url)
            assert migrated.returncode == 0, migrated.stderr
            assert await revision(restored) == before == await revision(chopbar.app[DATABASE])

            assert await snapshot(restored) == (orders, balances, True)
            async with restored.unit() as unit:
                account = await find_account(unit, MTN_CUSTOMER)
                assert account is not None and account.phone == MTN_CUSTOMER
                stored = await unit.session.scalar(text("SELECT phone FROM accounts WHERE id = :id"), {"id": account.id})
                assert MTN_CUSTOMER not in str(stored)  # sealed in the dump too: the keys are needed to read it
        finally:
            await restored.close()

        ours = settings.model_copy(update=dict(database_url=restored_url, port=free_port(), redis_prefix=redis_keys.prefix()))
        server = await aiohttp_server(create_app(ours), host="127.0.0.1", port=ours.port)
        client = await aiohttp_client(server)
        home = await gateway_for(client, ours.ussd_code).dial(MTN_CUSTOMER).open()
        assert home.text.startswith("Chopbar: what") and not home.ended, home.text
        await client.close()
    finally:
        await asyncio.to_thread(databases.drop, restored_url)
