"""Operator endpoints: liveness, readiness (database and Redis reachable) and Prometheus metrics."""
import asyncio

from aiohttp import web
from sqlalchemy import text

from channels.keys import DATABASE, METRICS, REDIS, WATCHES
from channels.metrics import BEFORE_SCRAPE, exposition
from channels.outages import Watch

PROBE_TIMEOUT_S = 2.0


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _database_ok(request: web.Request) -> bool:
    async with request.app[DATABASE].engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return True


async def _redis_ok(request: web.Request) -> bool:
    return bool(await request.app[REDIS].ping())


async def readyz(request: web.Request) -> web.Response:
    checks = {"database": _database_ok}
    if request.app.get(REDIS) is not None:
        checks["redis"] = _redis_ok
    results = {}
    watches = request.app.get(WATCHES, {})
    for name, check in checks.items():
        watch = watches.get(name) or Watch(name)  # one log line when it goes, one when it is back
        try:
            results[name] = await asyncio.wait_for(check(request), PROBE_TIMEOUT_S)
            watch.answered()
        except Exception as exc:  # any failure means not ready; say which and why
            watch.failed(exc)
            results[name] = False
    ready = all(results.values())
    body = {"status": "ready" if ready else "not ready", "checks": {k: "ok" if v else "down" for k, v in results.items()}}
    return web.json_response(body, status=200 if ready else 503)


async def metrics(request: web.Request) -> web.Response:
    """The process's registry; what is read at scrape time (the backlog) read first, cached."""
    return await exposition(request.app[METRICS], request.app.get(BEFORE_SCRAPE, ()))


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
