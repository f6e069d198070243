"""The worker's jobs meeting an outage: one log line when it starts and one when it ends, not a
traceback at every try; a job's own bug is still logged in full."""
import asyncio
import logging

from channels.outages import which
from chopbar.worker import Job, run_jobs
from tests.outages import database_refused


async def test_a_job_meeting_a_database_outage_logs_it_once_and_its_end_once(caplog):
    stop = asyncio.Event()
    tries = []

    async def outbox() -> int:
        tries.append(1)
        if len(tries) <= 4:
            raise database_refused()
        stop.set()
        return 0

    with caplog.at_level(logging.INFO):
        await asyncio.wait_for(run_jobs([Job("outbox", 0.01, outbox)], stop), 10)
    lines = [r.getMessage() for r in caplog.records]
    assert lines.count("database unreachable") == 1 and lines.count("database back") == 1
    assert "job failed" not in lines and len(tries) == 5


async def test_a_job_that_fails_on_its_own_is_logged_with_its_traceback(caplog):
    stop = asyncio.Event()

    async def broken() -> int:
        stop.set()
        raise ValueError("a bug, not an outage")

    await asyncio.wait_for(run_jobs([Job("dispatch", 0.01, broken)], stop), 10)
    [failed] = [r for r in caplog.records if r.getMessage() == "job failed"]
    assert failed.exc_info and "unreachable" not in caplog.text


def test_an_oserror_from_outside_the_database_is_not_a_database_outage():
    assert which(database_refused()) == "database"
    assert which(ConnectionResetError(104, "a client hung up")) is None  # raised here, not by the driver
