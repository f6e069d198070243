"""Outbox throughput: messages sent per second by two `chopbar worker` processes on PostgreSQL,
through the simulated Africa's Talking gateway, each message exactly once.

    .venv/bin/python benchmarks/outbox.py --messages 2000 --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test

`--concurrency` is each worker's CHOPBAR_OUTBOX_CONCURRENCY (messages at the gateway at once);
`--gateway-delay` makes the simulated gateway answer each send after that many seconds, as a
real one over the internet does.
"""
import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ussd_load import free_port, wait_ready  # noqa: E402

from core import outbox  # noqa: E402
from core.db import Database  # noqa: E402
from core.models import OutboxMessage  # noqa: E402
from tests.databases import _admin  # noqa: E402
from chopbar.settings import Settings  # noqa: E402
from core import sealing  # noqa: E402

sealing.install(Settings.from_env().keyring())  # as the composition root does: rows are sealed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="messages each worker has at the gateway at once")
    parser.add_argument("--gateway-delay", type=float, default=0.0, help="seconds the gateway takes to answer a send")
    parser.add_argument("--postgres", required=True, help="PostgreSQL server URL (a bench database is made and dropped)")
    args = parser.parse_args()
    name = f"chopbar_outbench_{os.getpid()}"
    await _admin(args.postgres, f'CREATE DATABASE "{name}"')
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    port = free_port()
    env = {**os.environ, "CHOPBAR_DATABASE_URL": url, "CHOPBAR_PORT": str(port), "CHOPBAR_HOST": "127.0.0.1",
           "CHOPBAR_LOG_LEVEL": "WARNING", "CHOPBAR_RUN_WORKER": "0", "CHOPBAR_OUTBOX_CONCURRENCY": str(args.concurrency)}
    env.pop("CHOPBAR_REDIS_URL", None)
    processes = []
    try:
        subprocess.run([sys.executable, "-m", "chopbar.cli", "seed"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        processes.append(subprocess.Popen([sys.executable, "-m", "chopbar.cli", "serve"], env=env, cwd=ROOT))
        await wait_ready(f"http://127.0.0.1:{port}")
        async with aiohttp.ClientSession() as http:
            async with http.post(f"http://127.0.0.1:{port}/sim/at/faults", json={"delay_s": args.gateway_delay}) as r:
                assert r.status == 200, await r.text()
        db = Database(url)
        async with db.unit() as unit:
            for n in range(args.messages):
                await outbox.enqueue(unit, f"+2376994{n % 100000:05d}", f"Chopbar test message {n}", kind="bench")
        started = time.perf_counter()
        processes += [subprocess.Popen([sys.executable, "-m", "chopbar.cli", "worker"], env=env, cwd=ROOT) for _ in range(args.workers)]
        while True:
            async with db.unit() as unit:
                left = await unit.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status.in_(("queued", "sending"))))
            if not left or time.perf_counter() - started > 300:
                break
            await asyncio.sleep(0.2)
        elapsed = time.perf_counter() - started
        await db.close()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/sim/at/received") as r:
                received = await r.json()
        print(f"{args.messages} messages, {args.workers} workers of concurrency {args.concurrency}, PostgreSQL, "
              f"simulated Africa's Talking over HTTP answering in {args.gateway_delay * 1000:.0f} ms")
        print(f"  all sent in {elapsed:.1f} s: {args.messages / elapsed:.0f} messages/s "
              f"(worker start-up included); gateway took {received['count']}, {received['distinct']} distinct")
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(10)
        await _admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
