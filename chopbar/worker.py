"""The background worker: runs periodic jobs until told to stop, finishing the job in hand."""
import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from chopbar.settings import Settings
from core.db import Database

log = logging.getLogger("chopbar.worker")


@dataclass(frozen=True)
class Job:
    name: str
    every_s: float
    run: Callable[[Database, Settings], Awaitable[int]]  # returns how much it did


JOBS: list[Job] = []


async def run_jobs(db: Database, settings: Settings, stop: asyncio.Event, jobs: list[Job] | None = None) -> None:
    jobs = JOBS if jobs is None else jobs

    async def loop(job: Job) -> None:
        while not stop.is_set():
            try:
                done = await job.run(db, settings)
            except Exception:  # a failing job must not stop the others; it is logged and retried
                log.exception("job failed", extra={"fields": {"job": job.name}})
                done = 0
            if not done:
                try:
                    await asyncio.wait_for(stop.wait(), job.every_s)
                except TimeoutError:
                    pass

    await asyncio.gather(*(loop(job) for job in jobs), stop.wait())


async def run_worker(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    db = Database(settings.database_url)
    log.info("worker started", extra={"fields": {"jobs": [j.name for j in JOBS]}})
    try:
        await run_jobs(db, settings, stop)
    finally:
        await db.close()
        log.info("worker stopped")
