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
from dataclasses import dataclass
from datetime import time, timedelta

from redis.asyncio import Redis

from channels.outages import Watch, which
from channels.payments.jobs import PaymentJobs
from channels.payments.payouts import PayoutJobs
from channels.api.realtime import Hub
from channels.senders.outbox_worker import OutboxWorker
from chopbar.providers import payment_router, payout_sender, senders
from chopbar.settings import Settings
from core import loyalty, sealing
from core import feedback
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


def jobs_for(settings: Settings, db: Database) -> list[Job]:
    sealing.install(settings.keyring())
    loyalty.configure(settings.loyalty_rules())  # payments earn points at the settings' rates
    router = payment_router(settings)
    payment_jobs = PaymentJobs(db, router, RetryRules(window_s=settings.payment_retry_window, ussd_code=settings.ussd_code))
    outbox = OutboxWorker(db, senders(settings), concurrency=settings.outbox_concurrency,
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

    return [
        Job("payments", 1.0, payment_jobs.run, router.close),
        Job("outbox", 0.5, outbox.run, outbox.close, outbox.stop),
        Job("acceptance", 5.0, acceptance),
        Job("dispatch", 2.0, dispatch),
        Job("payouts", 5.0, payouts, payout_jobs.sender.close),
        Job("ratings", 60.0, ratings),
    ]


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
    jobs = jobs_for(settings, db)
    log.info("worker started", extra={"fields": {"jobs": [j.name for j in jobs]}})
    try:
        await run_jobs(jobs, stop)
    finally:
        await db.close()
        if hub is not None:
            await asyncio.gather(*list(hub.tasks), return_exceptions=True)  # the last announcements
        if redis is not None:
            await redis.aclose()
        log.info("worker stopped")
