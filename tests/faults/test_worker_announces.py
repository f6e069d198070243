"""Order changes made by a separate `chopbar worker` reach the web process's live clients through
Redis at once, as the web's own changes do, not at the stream's next heartbeat."""
import os

import pytest

from channels.api import realtime
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_realtime import read_events
from tests.faults.worker_process import start_worker, stop_worker
from tests.payments import placed_order

pytestmark = pytest.mark.skipif(not os.environ.get("CHOPBAR_REDIS_URL"),
                                reason="a separate worker process announces its changes through Redis")


async def test_an_order_the_worker_expires_is_heard_at_once_over_sse(chopbar, settings, db, monkeypatch, tmp_path):
    monkeypatch.setattr(realtime, "HEARTBEAT_S", 3600.0)  # no heartbeat wakes the stream: only an announcement can
    code = await placed_order(db, method="cash")  # at the test clock's lunchtime, long past its window by the worker's clock
    tokens = await sign_in(chopbar)
    stream = await chopbar.get(f"/api/v1/orders/{code}/events", headers=bearer(tokens))
    [placed] = await read_events(stream, 1)
    assert placed["status"] == "PENDING_RESTAURANT"
    log = tmp_path / "worker.log"
    worker = await start_worker(settings, log)
    try:
        [expired] = await read_events(stream, 1, timeout=60)
    finally:
        stream.close()
        await stop_worker(worker, log)
    assert (expired["change"], expired["status"]) == ("expire", "EXPIRED")
