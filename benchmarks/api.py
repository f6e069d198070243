"""REST API under load: menu reads and order placement, requests/s and latency, on PostgreSQL.

Signs in as the demo customers (codes read from the simulated SMS inbox), then runs
concurrent clients reading a menu and placing cash orders, each with its own Idempotency-Key.

    .venv/bin/python benchmarks/api.py --clients 20 --seconds 10 --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""
import argparse
import asyncio
import itertools
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ussd_load import free_port  # noqa: E402

from tests.databases import _admin  # noqa: E402

keys = itertools.count(1)


async def sign_in(http, url: str, phone: str) -> str:
    async with http.post(url + "/api/v1/auth/otp", json={"phone": phone}) as r:
        assert r.status == 202, await r.text()
    async with http.get(url + "/sim/messages", params={"to": phone}) as r:
        code = re.search(r"\b(\d{6})\b", (await r.json())[-1]["text"]).group(1)
    async with http.post(url + "/api/v1/auth/token", json={"phone": phone, "code": code}) as r:
        return (await r.json())["access_token"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--postgres", required=True)
    args = parser.parse_args()
    name = f"chopbar_apibench_{os.getpid()}"
    await _admin(args.postgres, f'CREATE DATABASE "{name}"')
    url_db = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    port = free_port()
    env = {**os.environ, "CHOPBAR_DATABASE_URL": url_db, "CHOPBAR_PORT": str(port), "CHOPBAR_HOST": "127.0.0.1",
           "CHOPBAR_LOG_LEVEL": "WARNING", "CHOPBAR_RUN_WORKER": "0",
           "CHOPBAR_API_REQUESTS_PER_15_MIN": "10000000"}  # measuring the service, not its limiter
    env.pop("CHOPBAR_REDIS_URL", None)
    service = None
    try:
        subprocess.run([sys.executable, "-m", "chopbar.cli", "seed"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        service = subprocess.Popen([sys.executable, "-m", "chopbar.cli", "serve"], env=env, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(url + "/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.3)
            phones = ["+237699000001", "+237677000002", "+237694000005"]
            tokens = [await sign_in(http, url, p) for p in phones]
            async with http.get(url + "/api/v1/restaurants", params={"name": "maman ngo"}) as r:
                restaurant = (await r.json())["items"][0]["id"]
            async with http.get(url + f"/api/v1/restaurants/{restaurant}/menu") as r:
                item = next(d["id"] for d in (await r.json())["dishes"] if d["available"] and not d["option_groups"])
            timings: dict[str, list[float]] = {"menu": [], "order": []}
            stop_at = time.monotonic() + args.seconds

            async def client(n: int) -> None:
                token = tokens[n % len(tokens)]
                while time.monotonic() < stop_at:
                    started = time.perf_counter()
                    async with http.get(url + f"/api/v1/restaurants/{restaurant}/menu") as r:
                        await r.read()
                        assert r.status == 200
                    timings["menu"].append(time.perf_counter() - started)
                    body = {"restaurant_id": restaurant, "lines": [{"item_id": item, "quantity": 1}], "fulfilment": "pickup",
                            "payment_method": "cash"}
                    started = time.perf_counter()
                    async with http.post(url + "/api/v1/orders", json=body,
                                         headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{next(keys)}"}) as r:
                        await r.read()
                        assert r.status in (201, 429), r.status
                    if r.status == 201:
                        timings["order"].append(time.perf_counter() - started)

            await asyncio.gather(*(client(n) for n in range(args.clients)))
        print(f"{args.clients} clients for {args.seconds:.0f} s against one web process, PostgreSQL")
        for what, values in timings.items():
            q = statistics.quantiles(values, n=100)
            print(f"  {what:6s} {len(values) / args.seconds:7.0f} req/s   avg {statistics.mean(values) * 1000:6.1f} ms   "
                  f"p95 {q[94] * 1000:6.1f} ms   ({len(values)} requests)")
    finally:
        if service is not None:
            service.terminate()
            service.wait(10)
        await _admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
