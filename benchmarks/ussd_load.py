"""USSD load: N simulated phones order at once through a running service; hop rate and latency.

Starts `chopbar serve` (one web process) on a fresh database, and a bare aiohttp handler as the
yardstick, drives both with the same client, and prints hops/s and hop latency p50/p99.

    .venv/bin/python benchmarks/ussd_load.py --phones 100 --seconds 20
    .venv/bin/python benchmarks/ussd_load.py --phones 1000 --seconds 30 --think-ms 2000
    .venv/bin/python benchmarks/ussd_load.py --processes 2 --postgres ... --redis ...
    .venv/bin/python benchmarks/ussd_load.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        --redis redis://127.0.0.1:6379/0
"""
import argparse
import asyncio
import itertools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SERVER = """
import sys
from aiohttp import web
async def hop(request):
    await request.post()
    return web.Response(text="CON Chopbar\\n1 Order food\\n2 My orders", content_type="text/plain")
app = web.Application()
app.router.add_post("/ussd/africastalking", hop)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
LINE = re.compile(r"^(\d+) (.*)$", re.M)
numbers = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.post(url + "/ussd/africastalking", data={"sessionId": "w", "phoneNumber": "+237699999999", "text": ""}) as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def number_of(screen: str, label: str) -> str:
    for number, text in LINE.findall(screen):
        if label.lower() in text.lower():
            return number
    raise LookupError(f"{label!r} not in {screen!r}")


async def discover_path(
    http: aiohttp.ClientSession, url: str, phone: str | None = None,
    checkout: tuple[str, ...] = ("Valider", "emporter", "comptoir", "Confirmer"),
) -> list[str]:
    """The keys of a whole pickup order (paid cash unless `checkout` says otherwise), found by
    reading the screens once as a new French-speaking customer would."""
    keys: list[str] = []
    phone = phone or f"+2376985{next(numbers):05d}"

    async def hop() -> str:
        form = {"sessionId": f"discover-{phone}", "phoneNumber": phone, "text": "*".join(keys), "serviceCode": "*384*2468#"}
        async with http.post(url + "/ussd/africastalking", data=form) as r:
            return (await r.text())[4:]

    screen = await hop()
    for label in ("Commander", "Yaounde", "Chez Maman Ngo", "Plats", "Poulet DG"):
        keys.append(number_of(screen, label))
        screen = await hop()
    while "(1-20)" not in screen:  # option screens: the first choice
        keys.append("1")
        screen = await hop()
    keys.append("1")  # how many
    screen = await hop()
    for label in checkout:
        keys.append(number_of(screen, label))
        screen = await hop()
    assert screen.startswith("Commande"), screen
    return keys


async def load(urls: list[str], keys: list[str], phones: int, seconds: float, think_ms: float = 0) -> tuple[dict[int, list[float]], int]:
    """Each phone orders again and again; with `think_ms`, it waits about that long (0.5x to
    1.5x) before each key, as a person reading the screen would, else it answers at once. With
    several service URLs, each hop goes to any of them, as behind a balancer without stickiness."""
    pace = random.Random(7)
    latencies: dict[int, list[float]] = {}
    orders = 0
    stop_at = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=phones)

    async with aiohttp.ClientSession(connector=connector) as http:

        async def phone_loop(index: int) -> None:
            nonlocal orders
            if think_ms:  # people do not all dial in the same millisecond: spread over one order's time
                await asyncio.sleep(pace.uniform(0, think_ms / 1000 * len(keys)))
            while time.monotonic() < stop_at:
                n = next(numbers)
                phone = f"+2376986{n:05d}"
                session_id = f"bench-{index}-{n}"
                for hop in range(len(keys) + 1):
                    form = {"sessionId": session_id, "phoneNumber": phone, "text": "*".join(keys[:hop]), "serviceCode": "*384*2468#"}
                    started = time.perf_counter()
                    async with http.post(pace.choice(urls) + "/ussd/africastalking", data=form) as r:
                        body = await r.text()
                    latencies.setdefault(hop, []).append(time.perf_counter() - started)
                    if r.status != 200:
                        raise SystemExit(f"hop failed {r.status}: {body[:200]}")
                    if think_ms:
                        await asyncio.sleep(think_ms / 1000 * pace.uniform(0.5, 1.5))
                orders += body.startswith("END Commande")

        await asyncio.gather(*(phone_loop(i) for i in range(phones)))
    return latencies, orders


def line(name: str, latencies: list[float], seconds: float, extra: str = "") -> float:
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 100
    rate = len(latencies) / seconds
    print(f"  {name:30s} {rate:7.0f} hops/s   p50 {q[49] * 1000:7.1f} ms   p99 {q[98] * 1000:7.1f} ms   ({len(latencies)} hops{extra})")
    return rate


def report(name: str, by_hop: dict[int, list[float]], seconds: float, orders: int | None = None) -> float:
    """All hops, then the first dial and the confirm (they write) apart from the browsing hops."""
    print(name)
    everything = [x for values in by_hop.values() for x in values]
    rate = line("every hop", everything, seconds, f", {orders} orders placed" if orders is not None else "")
    if orders is not None:
        last = max(by_hop)
        line("first dial (finds the caller)", by_hop[0], seconds)
        line("browsing hops (no writes)", [x for h, v in by_hop.items() if 0 < h < last for x in v], seconds)
        line("confirm (places the order)", by_hop[last], seconds)
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--postgres", help="PostgreSQL server URL; a bench database is made and dropped there")
    parser.add_argument("--redis", help="Redis URL for the session store")
    parser.add_argument("--processes", type=int, default=1,
                        help="web processes sharing the database and Redis, each hop to any of them (needs --postgres and --redis)")
    parser.add_argument("--think-ms", type=float, default=0,
                        help="a person's pause before each key (default 0: every phone keys as fast as the service answers)")
    args = parser.parse_args()
    if args.processes > 1 and not (args.postgres and args.redis):
        parser.error("--processes above 1 needs --postgres and --redis: processes share sessions through Redis")

    env = {**os.environ, "CHOPBAR_LOG_LEVEL": "WARNING", "CHOPBAR_RUN_WORKER": "0"}
    workdir = tempfile.mkdtemp(prefix="chopbar-bench-")
    bench_db = f"chopbar_bench_{os.getpid()}"
    if args.postgres:
        from tests.databases import _admin

        await _admin(args.postgres, f'CREATE DATABASE "{bench_db}"')
        from sqlalchemy.engine import make_url

        db_url = make_url(args.postgres).set(database=bench_db).render_as_string(hide_password=False)
        subprocess.run([sys.executable, "-m", "chopbar.cli", "seed"], env={**env, "CHOPBAR_DATABASE_URL": db_url}, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    else:
        db_url = f"sqlite+aiosqlite:///{workdir}/bench.sqlite3"
    env["CHOPBAR_DATABASE_URL"] = db_url
    env.pop("CHOPBAR_REDIS_URL", None)
    if args.redis:
        env["CHOPBAR_REDIS_URL"] = args.redis
        env["CHOPBAR_REDIS_PREFIX"] = f"chopbar-bench-{os.getpid()}:"
    ports, bare_port = [free_port() for _ in range(args.processes)], free_port()
    env["CHOPBAR_HOST"] = "127.0.0.1"
    services = [subprocess.Popen([sys.executable, "-m", "chopbar.cli", "serve"], env={**env, "CHOPBAR_PORT": str(port)}, cwd=ROOT)
                for port in ports]
    bare = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(bare_port)])
    try:
        urls, bare_url = [f"http://127.0.0.1:{port}" for port in ports], f"http://127.0.0.1:{bare_port}"
        for url in urls:
            await wait_ready(url)
        await wait_ready(bare_url)
        async with aiohttp.ClientSession() as http:
            keys = await discover_path(http, urls[0])
        store = "Redis" if args.redis else "in-process"
        database = "PostgreSQL" if args.postgres else "SQLite"
        pacing = f", {args.think_ms:.0f} ms to read each screen" if args.think_ms else ", no pause between keys"
        print(f"{args.phones} phones for {args.seconds:.0f} s, whole order = {len(keys) + 1} hops; {database}, {store} sessions{pacing}")
        bare_latencies, _ = await load([bare_url], keys, args.phones, args.seconds, args.think_ms)
        bare_rate = report("bare aiohttp handler, same client", bare_latencies, args.seconds)
        latencies, orders = await load(urls, keys, args.phones, args.seconds, args.think_ms)
        processes = f", {args.processes} web processes" if args.processes > 1 else ""
        rate = report(f"chopbar ({database}{processes})", latencies, args.seconds, orders)
        print(f"chopbar / bare hop rate: {rate / bare_rate:.2f}")
    finally:
        for service in services:
            service.terminate()
        bare.terminate()
        for service in services:
            service.wait(10)
        bare.wait(10)
        if args.postgres:
            from tests.databases import _admin

            await _admin(args.postgres, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        if args.redis:
            from redis.asyncio import Redis

            redis = Redis.from_url(args.redis)
            keys_left = [k async for k in redis.scan_iter(match=env["CHOPBAR_REDIS_PREFIX"] + "*")]
            if keys_left:
                await redis.delete(*keys_left)
            await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main())
