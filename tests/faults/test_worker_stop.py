"""The embedded default's worker stops with its web process as `chopbar worker` does on SIGTERM:
the sends under way finish and are recorded, what was not handed over goes back to the queue."""
import asyncio

from aiohttp import web
from sqlalchemy import func, select

from channels.keys import DATABASE, SIM_SMS
from chopbar.app import create_app
from core import outbox
from core.db import Database
from core.models import OutboxMessage


async def test_the_in_process_worker_stops_with_the_web_process_and_sends_nothing_twice(settings):
    app = create_app(settings.model_copy(update=dict(run_worker=True)))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", settings.port).start()  # where the worker's sender finds the simulator
    gateway = app[SIM_SMS]
    try:
        gateway.faults.delay_s = 0.03
        async with app[DATABASE].unit() as unit:
            for n in range(100):
                await outbox.enqueue(unit, f"+2376995{n:05d}", f"Chopbar message {n}", kind="test")
        for _ in range(3000):
            if len(gateway.sent) >= 10:
                break
            await asyncio.sleep(0.02)
    finally:
        await runner.cleanup()  # the web process stops, and its worker with it
    db = Database(settings.database_url)
    try:
        async with db.unit() as unit:
            states = dict((await unit.session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
            claimed = await unit.session.scalar(select(func.count()).where(OutboxMessage.claimed_by.is_not(None),
                                                                           OutboxMessage.status == "queued"))
    finally:
        await db.close()
    assert "sending" not in states and states.get("queued", 0) > 0 and claimed == 0, states
    assert states.get("sent", 0) + states.get("delivered", 0) == len(gateway.sent)  # each one it took, recorded once
