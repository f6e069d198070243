"""`chopbar worker` as a process serves its own /metrics and /healthz on
CHOPBAR_WORKER_METRICS_PORT, sends what waits, and stops cleanly on SIGTERM; a second worker
finding the port taken still works, without serving it."""
import aiohttp

from tests.channels.test_metrics import samples
from tests.channels.test_ussd_africastalking import pickup_in_cash
from tests.conftest import free_port
from tests.faults.worker_process import start_worker, stop_worker, until
from tests.ussd import gateway_for


async def scrape(port: int) -> dict | None:
    try:
        async with aiohttp.ClientSession() as client, client.get(f"http://127.0.0.1:{port}/metrics") as response:
            return samples(await response.text())
    except aiohttp.ClientConnectionError:
        return None


async def test_the_worker_process_serves_its_metrics_and_health_on_its_port(chopbar, settings, tmp_path):
    port = free_port()
    log, second_log = tmp_path / "worker.log", tmp_path / "second.log"
    worker = await start_worker(settings, log, worker_metrics_port=str(port))
    second = None
    try:
        async def serving() -> bool:
            return await scrape(port) is not None

        await until("the worker's port", serving, worker, log)
        session = gateway_for(chopbar).dial("+237699555401")
        await session.open()
        await pickup_in_cash(session)  # the restaurant's SMS, for this worker alone to send

        async def sent() -> bool:
            scraped = await scrape(port) or {}
            return any(name == "chopbar_messages_sent_total" and dict(labels)["result"] == "sent" and v >= 1
                       for (name, labels), v in scraped.items())

        await until("a send counted on the worker's port", sent, worker, log)
        scraped = await scrape(port)
        assert scraped[("chopbar_worker_heartbeat_seconds", ())] > 0
        assert ("chopbar_outbox_oldest_unsent_seconds", ()) in scraped
        async with aiohttp.ClientSession() as client, client.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200 and (await response.json())["status"] == "ok"

        second = await start_worker(settings, second_log, worker_metrics_port=str(port), log_level="INFO")

        async def told() -> bool:
            return "port unavailable" in second_log.read_text(errors="replace")

        await until("the second worker's word on the taken port", told, second, second_log)
        assert second.returncode is None  # it works on, without serving
    finally:
        await stop_worker(worker, log)
        if second is not None:
            await stop_worker(second, second_log)
    assert await scrape(port) is None  # gone with the worker that served it
