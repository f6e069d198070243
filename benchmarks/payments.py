"""Confirmed payments per second, end to end: order placed by USSD with MTN MoMo, the simulated
provider approves and calls back, the worker checks the status, the order reaches the restaurant.

    .venv/bin/python benchmarks/payments.py --orders 200 --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""
import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ussd_load import discover_path, free_port, wait_ready  # noqa: E402

from core.models import AuditEvent  # noqa: E402


async def place(http, url, keys, phone, session_id) -> str:
    for hop in range(len(keys) + 1):
        form = {"sessionId": session_id, "phoneNumber": phone, "text": "*".join(keys[:hop])}
        async with http.post(url + "/ussd/africastalking", data=form) as r:
            body = await r.text()
    return body.split()[2]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--postgres", help="PostgreSQL server URL (a bench database is made and dropped)")
    args = parser.parse_args()
    env = {**os.environ, "CHOPBAR_LOG_LEVEL": "WARNING", "CHOPBAR_SIM_MOMO": "approve", "CHOPBAR_RUN_WORKER": "1"}
    env.pop("CHOPBAR_REDIS_URL", None)
    bench_db = f"chopbar_paybench_{os.getpid()}"
    if args.postgres:
        from tests.databases import _admin

        await _admin(args.postgres, f'CREATE DATABASE "{bench_db}"')
        db_url = make_url(args.postgres).set(database=bench_db).render_as_string(hide_password=False)
        subprocess.run([sys.executable, "-m", "chopbar.cli", "seed"], env={**env, "CHOPBAR_DATABASE_URL": db_url},
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    else:
        db_url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    port = free_port()
    env.update(CHOPBAR_DATABASE_URL=db_url, CHOPBAR_PORT=str(port), CHOPBAR_HOST="127.0.0.1")
    service = subprocess.Popen([sys.executable, "-m", "chopbar.cli", "serve"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(url)
        async with aiohttp.ClientSession() as http:
            keys = await discover_path(http, url, "+237670900000", ("Valider", "emporter", "MTN", "Ce num", "Confirmer"))
            gate = asyncio.Semaphore(args.concurrency)

            async def one(n: int) -> str:
                async with gate:
                    return await place(http, url, keys, f"+2376709{n:05d}", f"pay-{n}")

            started = time.perf_counter()
            codes = await asyncio.gather(*(one(n) for n in range(1, args.orders + 1)))
            placed_s = time.perf_counter() - started
        engine = create_async_engine(db_url)
        while True:
            async with engine.connect() as connection:
                rows = (await connection.execute(
                    select(AuditEvent.entity_ref, AuditEvent.trigger, AuditEvent.at)
                    .where(AuditEvent.entity == "order", AuditEvent.trigger.in_(("place", "confirm")))
                )).all()
            confirmed = {r[0]: r[2] for r in rows if r[1] == "confirm"}
            if len(confirmed) >= len(codes) or time.perf_counter() - started > 300:
                break
            await asyncio.sleep(0.5)
        await engine.dispose()
        total_s = time.perf_counter() - started
        placed = {r[0]: r[2] for r in rows if r[1] == "place"}
        waits = sorted((confirmed[c] - placed[c]).total_seconds() for c in confirmed)
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{len(codes)} MoMo orders by USSD, {args.concurrency} at a time, {database}, simulated MTN approving")
        print(f"  placed in {placed_s:.1f} s; {len(confirmed)} confirmed in {total_s:.1f} s: {len(confirmed) / total_s:.1f} confirmed payments/s")
        print(f"  order placed -> PENDING_RESTAURANT: p50 {statistics.median(waits):.2f} s, "
              f"p95 {statistics.quantiles(waits, n=20)[18]:.2f} s (includes the payer's 0.3 s to approve)")
    finally:
        service.terminate()
        service.wait(10)
        if args.postgres:
            from tests.databases import _admin

            await _admin(args.postgres, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
