"""Dispatch: with 200 drivers online, how many jobs a second are offered, and how long from
the restaurant's acceptance to the first offer, through the worker's dispatch pass.

    .venv/bin/python benchmarks/dispatch.py --orders 200 --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""
import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chopbar.migrate import upgrade_async  # noqa: E402
from chopbar.seed import seed_demo  # noqa: E402
from core import order_changes  # noqa: E402
from core.db import Database  # noqa: E402
from core.delivery import DispatchRules, dispatch_due  # noqa: E402
from core.drivers import onboard  # noqa: E402
from core.models import Account, AuditEvent, MenuItem, Restaurant  # noqa: E402
from core.orders import Destination, LineRequest, Placement, order_by_code  # noqa: E402
from core.placing import place_order  # noqa: E402
from tests.databases import _admin  # noqa: E402
from chopbar.settings import Settings  # noqa: E402
from core import sealing  # noqa: E402

sealing.install(Settings.from_env().keyring())  # as the composition root does: rows are sealed

ZONE = ["Bastos", "Nlongkak", "Etoa-Meki", "Essos", "Mvog-Mbi", "Biyem-Assi", "Melen", "Mokolo"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--drivers", type=int, default=200)
    parser.add_argument("--postgres", help="PostgreSQL server URL (a bench database is made and dropped)")
    args = parser.parse_args()
    name = f"chopbar_dispatch_{os.getpid()}"
    if args.postgres:
        await _admin(args.postgres, f'CREATE DATABASE "{name}"')
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/dispatch.sqlite3"
    try:
        await upgrade_async(url)
        db = Database(url)
        await seed_demo(db)
        async with db.unit() as unit:
            for n in range(args.drivers):
                driver = await onboard(unit, f"+2376712{n:05d}", name=f"Driver {n}", city="Yaounde",
                                       zone=[ZONE[n % len(ZONE)], ZONE[(n + 3) % len(ZONE)]], language="fr", actor="bench")
                driver.online, driver.max_active_jobs = True, 5
            restaurant = await unit.session.scalar(select(Restaurant).where(Restaurant.slug == "mama-ngo-bastos"))
            item = await unit.session.scalar(select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.position == 2))
            customer = await unit.session.scalar(select(Account).where(Account.phone_key == sealing.blind("+237699000001")))
            for _ in range(args.orders):
                order = await place_order(unit, Placement(customer, restaurant.id, [LineRequest(item.id, 1)], "cash", "ussd", "fr",
                                                          Destination("Yaounde", "Bastos", lat=3.89237, lon=11.51148)), tz="Africa/Douala")
                await order_changes.accept(unit, await order_by_code(unit, order.code), restaurant, actor="bench")
        started = time.perf_counter()
        offered = 0
        while offered < args.orders * 3:
            async with db.unit() as unit:
                done = await dispatch_due(unit, DispatchRules())
            if not done:
                break
            offered += done
        elapsed = time.perf_counter() - started
        async with db.unit() as unit:
            rows = (await unit.session.execute(
                select(AuditEvent.entity_ref, AuditEvent.entity, AuditEvent.trigger, AuditEvent.at)
                .where(AuditEvent.trigger.in_(("accept", "offer")))
            )).all()
        accepted = {r[0]: r[3] for r in rows if r[1] == "order" and r[2] == "accept"}
        first_offer: dict = {}
        for ref, entity, trigger, at in rows:
            if entity == "delivery" and trigger == "offer":
                first_offer[ref] = min(first_offer.get(ref, at), at)
        waits = sorted((first_offer[c] - accepted[c]).total_seconds() * 1000 for c in first_offer)
        await db.close()
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.orders} accepted orders, {args.drivers} drivers online, {database}")
        print(f"  dispatched (3 offers each) in {elapsed:.2f} s: {len(first_offer) / elapsed:.0f} jobs/s, {offered} offer SMS queued")
        print(f"  acceptance -> first offer, all orders accepted at once: p50 {statistics.median(waits):.0f} ms, max {waits[-1]:.0f} ms")
    finally:
        if args.postgres:
            await _admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
