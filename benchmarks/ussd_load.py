"""USSD load: simulated phones dial a running service; server CPU per hop and per order, hop latency.

Starts `chopbar serve` (one web process) on a fresh database, and a bare aiohttp handler as the
yardstick, and drives both with the same client. Server CPU is the web process's own user and
system time (from /proc), so the load generator does not count. One run reports:

- the bare handler's CPU per hop;
- a browsing hop's CPU (dial, order food, city, restaurant, category, dish: no writes), and its
  ratio to the bare hop;
- a whole order's CPU (every hop, the confirm that places it included), in bare hops;
- with `--paced-phones`, hop latency p50/p99 when that many phones pause `--think-ms` per screen,
  the phones driven from `--client-processes` processes of their own (on uvloop), so that the
  client is not what saturates; the machine's load average and the web process's CPU share
  during that phase say what did.

    .venv/bin/python benchmarks/ussd_load.py --phones 50 --seconds 10
    .venv/bin/python benchmarks/ussd_load.py --phones 50 --seconds 10 --paced-phones 2000 --paced-seconds 60 \
        --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test --redis redis://127.0.0.1:6379/0
    .venv/bin/python benchmarks/ussd_load.py --processes 2 --postgres ... --redis ...
"""
import argparse
import asyncio
import itertools
import json
import os
import random
import re
import signal
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
NUMBERS_IN_ALL = 99_999  # +2376986NNNNN: five digits, shared among this process and the paced clients


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


BROWSING_HOPS = 6  # dial, order food, city, restaurant, category, dish


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def load(
    urls: list[str], keys: list[str], phones: int, seconds: float, think_ms: float = 0, hops: int | None = None,
) -> tuple[dict[int, list[float]], int]:
    """Each phone dials again and again, `hops` hops a session (default: the whole order); with
    `think_ms`, it waits about that long (0.5x to 1.5x) before each key, as a person reading the
    screen would, else it answers at once. With several service URLs, each hop goes to any of
    them, as behind a balancer without stickiness."""
    hops = hops or len(keys) + 1
    pace = random.Random(7)
    latencies: dict[int, list[float]] = {}
    orders = 0
    failures: dict[int | str, int] = {}
    stop_at = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=phones)

    async with aiohttp.ClientSession(connector=connector) as http:

        async def phone_loop(index: int) -> None:
            nonlocal orders
            if think_ms:  # people do not all dial in the same millisecond: spread over one order's time
                await asyncio.sleep(pace.uniform(0, think_ms / 1000 * hops))
            while time.monotonic() < stop_at:
                n = next(numbers)
                phone = f"+2376986{n:05d}"
                session_id = f"bench-{os.getpid()}-{index}-{n}"
                for hop in range(hops):
                    form = {"sessionId": session_id, "phoneNumber": phone, "text": "*".join(keys[:hop]), "serviceCode": "*384*2468#"}
                    started = time.perf_counter()
                    try:
                        async with http.post(pace.choice(urls) + "/ussd/africastalking", data=form) as r:
                            body, status = await r.text(), r.status
                    except aiohttp.ClientError as exc:
                        body, status = "", type(exc).__name__
                    latencies.setdefault(hop, []).append(time.perf_counter() - started)
                    if status != 200:  # counted and shown, and this phone dials again
                        failures[status] = failures.get(status, 0) + 1
                        break
                    if think_ms:
                        await asyncio.sleep(think_ms / 1000 * pace.uniform(0.5, 1.5))
                else:
                    orders += body.startswith("END Commande")

        await asyncio.gather(*(phone_loop(i) for i in range(phones)))
    if failures:
        print(f"  hops that failed: {failures}", file=sys.stderr)
    return latencies, orders


async def paced_load(
    urls: list[str], keys: list[str], phones: int, seconds: float, think_ms: float, processes: int,
) -> tuple[dict[int, list[float]], int]:
    """`load` with pauses, its phones shared among `processes` client processes (this script
    again, with --client), their latencies gathered here."""
    share = [phones // processes + (i < phones % processes) for i in range(processes)]
    clients = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--client", json.dumps({
                "urls": urls, "keys": keys, "phones": n, "seconds": seconds, "think_ms": think_ms,
                "first_number": 1 + (i + 1) * (NUMBERS_IN_ALL // (processes + 1)),
            }), stdout=subprocess.PIPE,
        )
        for i, n in enumerate(share) if n
    ]
    latencies: dict[int, list[float]] = {}
    orders = 0
    for client in clients:
        out, _ = await client.communicate()
        found = json.loads(out)
        orders += found["orders"]
        for hop, values in found["latencies"].items():
            latencies.setdefault(int(hop), []).extend(values)
    return latencies, orders


def client_main(spec: str) -> None:
    """One paced client process: its share of the phones, its latencies as JSON on stdout."""
    global numbers
    task = json.loads(spec)
    numbers = itertools.count(task["first_number"])
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    latencies, orders = asyncio.run(
        load(task["urls"], task["keys"], task["phones"], task["seconds"], think_ms=task["think_ms"])
    )
    json.dump({"latencies": latencies, "orders": orders}, sys.stdout)


async def measured_load(pids: list[int], *args, **kwargs) -> tuple[dict[int, list[float]], int, float]:
    """`load`, and the server CPU it cost."""
    before = cpu_seconds(pids)
    latencies, orders = await load(*args, **kwargs)
    return latencies, orders, cpu_seconds(pids) - before


def profiling(prefix: str | None, phase: str, pid: int) -> subprocess.Popen | None:
    """py-spy sampling the web process, written as collapsed stacks (one line per stack and its count)."""
    if prefix is None:
        return None
    spy = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw", "--nonblocking",
           "--rate", "250", "-o", f"{prefix}-{phase}.txt"]
    return subprocess.Popen(spy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_profiling(spy: subprocess.Popen | None) -> None:
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait(30)


def quantiles(latencies: list[float]) -> list[float]:
    return statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 100


def line(name: str, latencies: list[float], seconds: float, extra: str = "") -> None:
    q = quantiles(latencies)
    rate = len(latencies) / seconds
    print(f"  {name:30s} {rate:7.0f} hops/s   p50 {q[49] * 1000:7.1f} ms   p99 {q[98] * 1000:7.1f} ms   ({len(latencies)} hops{extra})")


def count(by_hop: dict[int, list[float]]) -> int:
    return sum(len(v) for v in by_hop.values())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=50, help="phones keying without pause, for the CPU figures")
    parser.add_argument("--seconds", type=float, default=10, help="length of each CPU phase (bare, browsing, orders)")
    parser.add_argument("--postgres", help="PostgreSQL server URL; a bench database is made and dropped there")
    parser.add_argument("--redis", help="Redis URL for the session store")
    parser.add_argument("--processes", type=int, default=1,
                        help="web processes sharing the database and Redis, each hop to any of them (needs --postgres and --redis)")
    parser.add_argument("--paced-phones", type=int, default=0,
                        help="then this many phones, each pausing --think-ms per screen: hop latency under a realistic load")
    parser.add_argument("--paced-seconds", type=float, default=60)
    parser.add_argument("--think-ms", type=float, default=2000, help="a person's pause before each key in the paced phase")
    parser.add_argument("--client-processes", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="processes the paced phase's phones are driven from")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="record the web process with py-spy during the browsing and order phases: PREFIX-browsing.txt, PREFIX-orders.txt")
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
    pids = [service.pid for service in services]
    try:
        urls, bare_url = [f"http://127.0.0.1:{port}" for port in ports], f"http://127.0.0.1:{bare_port}"
        for url in urls:
            await wait_ready(url)
        await wait_ready(bare_url)
        async with aiohttp.ClientSession() as http:
            keys = await discover_path(http, urls[0])
        store = "Redis" if args.redis else "in-process"
        database = "PostgreSQL" if args.postgres else "SQLite"
        processes = f", {args.processes} web processes" if args.processes > 1 else ""
        print(f"{database}, {store} sessions{processes}; whole order = {len(keys) + 1} hops; "
              f"CPU phases: {args.phones} phones keying without pause, {args.seconds:.0f} s each; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (others' work inflates every figure, the bare hop's too)")

        bare_hops, _, bare_cpu = await measured_load([bare.pid], [bare_url], keys, args.phones, args.seconds, hops=BROWSING_HOPS)
        bare_us = bare_cpu / count(bare_hops) * 1e6
        line("bare aiohttp handler", [x for v in bare_hops.values() for x in v], args.seconds)
        print(f"    server CPU {bare_us:7.0f} us per hop")

        spy = profiling(args.profile, "browsing", pids[0])
        browsing, _, browsing_cpu = await measured_load(pids, urls, keys, args.phones, args.seconds, hops=BROWSING_HOPS)
        stop_profiling(spy)
        browsing_us = browsing_cpu / count(browsing) * 1e6
        line("chopbar browsing hops", [x for v in browsing.values() for x in v], args.seconds)
        print(f"    server CPU {browsing_us:7.0f} us per hop = {browsing_us / bare_us:.2f} bare hops "
              f"(bare/chopbar ratio {bare_us / browsing_us:.2f})")

        spy = profiling(args.profile, "orders", pids[0])
        whole, orders, order_cpu = await measured_load(pids, urls, keys, args.phones, args.seconds)
        stop_profiling(spy)
        line("chopbar whole orders", [x for v in whole.values() for x in v], args.seconds, f", {orders} orders placed")
        last = max(whole)
        line("  first dial (finds the caller)", whole[0], args.seconds)
        line("  browsing hops (no writes)", [x for h, v in whole.items() if 0 < h < last for x in v], args.seconds)
        line("  confirm (places the order)", whole[last], args.seconds)
        if orders:
            order_ms = order_cpu / orders * 1000
            print(f"    server CPU {order_ms:7.2f} ms per whole order = {order_ms * 1000 / bare_us:.1f} bare hops")

        if args.paced_phones:
            load_before, cpu_before, started = os.getloadavg()[0], cpu_seconds(pids), time.monotonic()
            paced, orders = await paced_load(
                urls, keys, args.paced_phones, args.paced_seconds, args.think_ms, args.client_processes,
            )
            server_share = (cpu_seconds(pids) - cpu_before) / (time.monotonic() - started) / len(pids)
            everything = [x for v in paced.values() for x in v]
            line(f"paced: {args.paced_phones} phones, {args.think_ms:.0f} ms a screen", everything, args.paced_seconds,
                 f", {orders} orders placed")
            last = max(paced)
            line("  first dial (finds the caller)", paced[0], args.paced_seconds)
            line("  browsing hops (no writes)", [x for h, v in paced.items() if 0 < h < last for x in v], args.paced_seconds)
            line("  confirm (places the order)", paced[last], args.paced_seconds)
            print(f"    hop p99 {quantiles(everything)[98] * 1000:.1f} ms; {args.client_processes} client processes; "
                  f"web process at {server_share:.0%} of a core; load average {load_before:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
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
    if sys.argv[1:2] == ["--client"]:
        client_main(sys.argv[2])
    else:
        asyncio.run(main())
