"""The background worker: runs periodic jobs until told to stop, finishing the job in hand.

`chopbar worker` runs it as its own process; the embedded default runs it inside the web
process, where a callback or a new order wakes it at once instead of at its next tick.
SIGTERM or SIGINT stops it gracefully: the outbox sends in flight finish, its other claims go
back to the queue, and it exits. With Redis, its committed order changes are announced there,
as the web process's are, so live app clients hear them at once.
"""
import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import time, timedelta

from aiohttp import web
from prometheus_client import CollectorRegistry
from redis.asyncio import Redis

from channels import metrics as measured

from channels.outages import Watch, which
from channels.payments.jobs import PaymentJobs
from channels.payments.payouts import PayoutJobs
from channels.api.realtime import Hub
from channels.senders.outbox_worker import OutboxWorker
from chopbar.providers import payment_router, payout_sender, senders
from chopbar.settings import Settings
from core import loyalty, sealing
from core import feedback, retention
from core.acceptance import remind_and_expire
from core.delivery import DispatchRules, dispatch_due
from core.db import Database
from core.payment_retry import RetryRules
from core.use_cases import paying_out

log = logging.getLogger("chopbar.worker")
OUTAGE_WAIT_S = 30.0  # longest wait between a job's tries while Redis or the database is away


class Wakeup:
    """Wakes every job loop at once (an order to dispatch, a callback to check): each loop
    has its own event, so one loop clearing it never swallows another's wake-up."""

    def __init__(self) -> None:
        self.events: list[asyncio.Event] = []

    def register(self) -> asyncio.Event:
        self.events.append(asyncio.Event())
        return self.events[-1]

    def set(self) -> None:
        for event in self.events:
            event.set()


@dataclass(frozen=True)
class Job:
    name: str
    every_s: float
    run: Callable[[], Awaitable[int]]  # returns how much it did: more work may be waiting
    close: Callable[[], Awaitable[None]] | None = None
    stop: Callable[[], None] | None = None  # asked to stop: end the run under way early, losing nothing


def jobs_for(settings: Settings, db: Database, metrics: measured.Metrics | None = None) -> list[Job]:
    """The worker's loops; with `metrics`, each timed, its payment and message calls counted."""
    sealing.install(settings.keyring())
    loyalty.configure(settings.loyalty_rules())  # payments earn points at the settings' rates
    router = payment_router(settings)
    gateways = senders(settings)
    if metrics is not None:
        measured.measured_payments(router, metrics)
        gateways = measured.measured_senders(gateways, metrics)
    payment_jobs = PaymentJobs(db, router, RetryRules(window_s=settings.payment_retry_window, ussd_code=settings.ussd_code))
    outbox = OutboxWorker(db, gateways, concurrency=settings.outbox_concurrency,
                          lease=timedelta(seconds=settings.outbox_lease))

    rules = DispatchRules(cash_cap_xaf=settings.driver_cash_cap, when_ready=settings.dispatch_on == "ready")

    async def acceptance() -> int:
        async with db.unit() as unit:
            return await remind_and_expire(unit, settings.accept_timeout)

    async def dispatch() -> int:
        async with db.unit() as unit:
            return await dispatch_due(unit, rules)

    async def ratings() -> int:
        async with db.unit() as unit:
            return await feedback.expire_due(unit, settings.rating_window)

    payout_jobs = PayoutJobs(db, payout_sender(settings), settings.payout_rules())
    payout_at = time.fromisoformat(settings.payout_time)

    async def payouts() -> int:
        """The day's payouts once the time comes (the database marks the day, so one worker
        starts them), then every payout due is sent or checked."""
        started = await paying_out.daily(db, payout_jobs.rules, tz=settings.timezone, at=payout_at)
        return len(started) + await payout_jobs.run()

    async def purge() -> int:
        """What is past its retention period goes; the counts are logged when anything went."""
        counts = await retention.purge(db, settings.retention_periods())
        if any(counts.values()):
            log.info("purged", extra={"fields": counts})
        return 0  # the next run waits its period: one pass takes every batch due

    jobs = [
        Job("payments", 1.0, payment_jobs.run, router.close),
        Job("outbox", 0.5, outbox.run, outbox.close, outbox.stop),
        Job("acceptance", 5.0, acceptance),
        Job("dispatch", 2.0, dispatch),
        Job("payouts", 5.0, payouts, payout_jobs.sender.close),
        Job("ratings", 60.0, ratings),
        Job("retention", settings.retention_every, purge),
    ]
    if metrics is None:
        return jobs
    return [replace(job, run=metrics.timed(job.name, job.run)) for job in jobs]


def worker_metrics(settings: Settings, db: Database) -> tuple[measured.Metrics, list]:
    """The worker process's metrics, on a registry of its own: its committed changes and the
    domain's durations counted, and what waits read at scrape time. Returns them and what a
    scrape runs first."""
    metrics = measured.Metrics(CollectorRegistry())
    db.listeners.append(metrics.committed)
    metrics.watch_measures()  # a payment confirmed here may accept its order at once (AUTO ON)
    return metrics, [backlog_of(settings, db, metrics)]


def backlog_of(settings: Settings, db: Database, metrics: measured.Metrics):
    """What waits (outbox, drivers, restaurants), read at scrape time by the process running
    the worker's loops; returns what refreshes it."""
    before: list = []
    measured.watch_backlog(metrics.registry, before, db, accept_timeout_s=settings.accept_timeout,
                           no_driver_after_s=settings.alert_no_driver_after)
    return before[0]


async def serve_metrics(settings: Settings, metrics: measured.Metrics, before: list) -> web.AppRunner | None:
    """The worker's /metrics and /healthz on CHOPBAR_WORKER_METRICS_PORT (none when 0)."""
    if not settings.worker_metrics_port:
        return None
    runner = web.AppRunner(measured.worker_app(metrics, before), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.worker_metrics_port).start()
    except OSError as exc:  # the port taken (another worker on this host): the work matters more than its figures
        log.error("worker metrics not served: port unavailable",
                  extra={"fields": {"port": settings.worker_metrics_port, "error": str(exc)[:200]}})
        await runner.cleanup()
        return None
    log.info("worker metrics served", extra={"fields": {"port": settings.worker_metrics_port}})
    return runner


async def run_jobs(jobs: list[Job], stop: asyncio.Event, wakeup: Wakeup | None = None) -> None:
    wakeup = wakeup or Wakeup()
    outages: dict[str, Watch] = {}  # shared by the jobs: one log line per outage, not one per try

    async def loop(job: Job) -> None:
        kick = wakeup.register()
        misses = 0  # tries in a row that met an outage: each waits twice as long, up to OUTAGE_WAIT_S
        while not stop.is_set():
            kick.clear()
            try:
                done = await job.run()
                misses = 0
                for watch in outages.values():
                    watch.answered()
            except Exception as exc:  # a failing job must not stop the others; it is logged and retried
                service = which(exc)
                if service is None:
                    log.exception("job failed", extra={"fields": {"job": job.name}})
                else:
                    outages.setdefault(service, Watch(service)).failed(exc)
                    misses += 1
                done = 0
            if done:
                continue
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(kick.wait())]
            wait_s = min(job.every_s * 2 ** misses, OUTAGE_WAIT_S) if misses else job.every_s
            await asyncio.wait(waits, timeout=wait_s, return_when=asyncio.FIRST_COMPLETED)
            for w in waits:
                w.cancel()

    async def stopping() -> None:
        await stop.wait()
        for job in jobs:
            if job.stop is not None:
                job.stop()

    told = asyncio.ensure_future(stopping())
    try:
        await asyncio.gather(*(loop(job) for job in jobs))
    finally:
        told.cancel()
        for job in jobs:
            if job.close is not None:
                await job.close()


def worker_database(settings: Settings, redis: Redis | None) -> tuple[Database, Hub | None]:
    """The worker's database; with Redis, its committed changes are announced as the web's are."""
    db = Database(settings.database_url)
    if redis is None:
        return db, None
    hub = Hub(redis, settings.redis_prefix)
    db.listeners.append(hub.committed)
    return db, hub


async def run_worker(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    redis = Redis.from_url(settings.redis_url, decode_responses=True) if settings.redis_url else None
    db, hub = worker_database(settings, redis)
    metrics, before = worker_metrics(settings, db)
    jobs = jobs_for(settings, db, metrics)
    runner = await serve_metrics(settings, metrics, before)
    log.info("worker started", extra={"fields": {"jobs": [j.name for j in jobs]}})
    try:
        await run_jobs(jobs, stop)
    finally:
        if runner is not None:
            await runner.cleanup()
        await db.close()
        if hub is not None:
            await asyncio.gather(*list(hub.tasks), return_exceptions=True)  # the last announcements
        if redis is not None:
            await redis.aclose()
        log.info("worker stopped")
