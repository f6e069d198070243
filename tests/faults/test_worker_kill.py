"""A `chopbar worker` process stopped or killed while it sends 300 messages through a slow gateway:
SIGTERM sends none twice, SIGKILL at most `outbox_concurrency` twice, and none is lost."""
import asyncio
import signal
from pathlib import Path

from sqlalchemy import func, select

from channels.keys import DATABASE
from core import outbox
from core.models import OutboxMessage
from tests.faults.worker_process import start_worker, stop_worker, tail, until

MESSAGES = 300
CONCURRENCY = 4
LEASE_S = "5"  # a dead worker's claims come back in seconds, not a minute, yet a busy machine's slow commit is no death


async def received(chopbar) -> dict:
    return await (await chopbar.get("/sim/at/received")).json()


async def counts(chopbar) -> dict[tuple[str, bool], int]:
    """Messages by status, and whether they are marked handed over to the gateway."""
    handed = OutboxMessage.handed_at.is_not(None)
    async with chopbar.app[DATABASE].unit() as unit:
        rows = await unit.session.execute(
            select(OutboxMessage.status, handed, func.count()).group_by(OutboxMessage.status, handed)
        )
        return {(status, was_handed): n for status, was_handed, n in rows}


async def left(chopbar) -> int:
    return sum(n for (status, _), n in (await counts(chopbar)).items() if status in ("queued", "sending"))


async def worker(settings, log: Path) -> asyncio.subprocess.Process:
    return await start_worker(settings, log, outbox_concurrency=str(CONCURRENCY), outbox_lease=LEASE_S)


async def a_busy_worker(chopbar, settings, log: Path) -> asyncio.subprocess.Process:
    """300 messages queued, a slow gateway, and a worker caught in the middle of sending them."""
    assert (await chopbar.post("/sim/at/faults", json={"delay_s": 0.03})).status == 200
    assert await left(chopbar) == 0 and (await received(chopbar))["count"] == 0
    async with chopbar.app[DATABASE].unit() as unit:
        for n in range(MESSAGES):
            await outbox.enqueue(unit, f"+2376995{n % 1000:05d}", f"Chopbar message {n}", kind="test")
    busy = await worker(settings, log)

    async def sending() -> bool:
        return (await received(chopbar))["count"] >= 40

    await until("the first 40 messages at the gateway", sending, busy, log)
    return busy


async def finished_by_another_worker(chopbar, settings, log: Path) -> dict:
    second = await worker(settings, log)
    try:
        async def done() -> bool:
            return await left(chopbar) == 0

        await until("every message sent", done, second, log)
    finally:
        await stop_worker(second, log)
    return await received(chopbar)


async def test_a_worker_stopped_with_sigterm_mid_send_leaves_no_duplicate(chopbar, settings, tmp_path):
    log = tmp_path / "workers.log"
    first = await a_busy_worker(chopbar, settings, log)
    await stop_worker(first, log)
    after = await counts(chopbar)
    assert ("sending", True) not in after and ("sending", False) not in after, after  # finished, or put back
    assert after.get(("queued", False), 0) > 0, after  # it really stopped in the middle
    gateway = await finished_by_another_worker(chopbar, settings, log)
    assert gateway == {"count": MESSAGES, "distinct": MESSAGES}


async def test_a_worker_killed_mid_send_loses_nothing_and_repeats_at_most_its_concurrency(chopbar, settings, tmp_path):
    log = tmp_path / "workers.log"
    first = await a_busy_worker(chopbar, settings, log)
    first.send_signal(signal.SIGKILL)
    assert await first.wait() == -signal.SIGKILL, tail(log)
    after = await counts(chopbar)
    unrecorded = after.get(("sending", True), 0)  # handed over, never recorded: the only ones sent again
    assert unrecorded <= CONCURRENCY, after
    assert after.get(("queued", False), 0) > 0, after
    gateway = await finished_by_another_worker(chopbar, settings, log)
    assert gateway["distinct"] == MESSAGES
    assert MESSAGES <= gateway["count"] <= MESSAGES + unrecorded
