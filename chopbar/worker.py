"""The background worker: runs periodic jobs until told to stop, finishing the job in hand.

`chopbar worker` runs it as its own process; the embedded default runs it inside the web
process, where a callback or a new order wakes it at once instead of at its next tick.
"""
import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from channels.outages import Watch, which
from channels.payments.jobs import PaymentJobs
from channels.senders.outbox_worker import OutboxWorker
from chopbar.providers import payment_router, senders
from chopbar.settings import Settings
from core.acceptance import remind_and_expire
from core.delivery import DispatchRules, dispatch_due
from core.db import Database
from core.payment_retry import RetryRules

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


def jobs_for(settings: Settings, db: Database) -> list[Job]:
    router = payment_router(settings)
    payment_jobs = PaymentJobs(db, router, RetryRules(window_s=settings.payment_retry_window, ussd_code=settings.ussd_code))
    outbox = OutboxWorker(db, senders(settings))

    rules = DispatchRules(cash_cap_xaf=settings.driver_cash_cap, when_ready=settings.dispatch_on == "ready")

    async def acceptance() -> int:
        async with db.unit() as unit:
            return await remind_and_expire(unit, settings.accept_timeout)

    async def dispatch() -> int:
        async with db.unit() as unit:
            return await dispatch_due(unit, rules)

    return [
        Job("payments", 1.0, payment_jobs.run, router.close),
        Job("outbox", 0.5, outbox.run, outbox.close),
        Job("acceptance", 5.0, acceptance),
        Job("dispatch", 2.0, dispatch),
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

    try:
        await asyncio.gather(*(loop(job) for job in jobs))
    finally:
        for job in jobs:
            if job.close is not None:
                await job.close()


async def run_worker(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    db = Database(settings.database_url)
    jobs = jobs_for(settings, db)
    log.info("worker started", extra={"fields": {"jobs": [j.name for j in jobs]}})
    try:
        await run_jobs(jobs, stop)
    finally:
        await db.close()
        log.info("worker stopped")
