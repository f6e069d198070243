"""Order changes pushed live over SSE and WebSocket, and resumed after a reconnect."""
import asyncio
import json

from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.payments import placed_order
from tests.sms import text

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


async def read_events(response, count: int, timeout: float = 5.0) -> list[dict]:
    events = []

    async def read() -> None:
        while len(events) < count:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))

    await asyncio.wait_for(read(), timeout)
    return events


async def test_the_app_sees_the_restaurants_sms_answer_live_over_sse(chopbar, db):
    code = await placed_order(db, method="cash")
    tokens = await sign_in(chopbar)
    stream = await chopbar.get(f"/api/v1/orders/{code}/events", headers=bearer(tokens))
    assert stream.status == 200 and stream.headers["Content-Type"] == "text/event-stream"
    [placed] = await read_events(stream, 1)
    assert (placed["change"], placed["status"]) == ("place", "PENDING_RESTAURANT")
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    [accepted] = await read_events(stream, 1)
    assert (accepted["change"], accepted["status"]) == ("accept", "ACCEPTED")
    stream.close()
    await text(chopbar, RESTAURANT, f"PRET {code}")  # while the app is away
    again = await chopbar.get(f"/api/v1/orders/{code}/events", headers={**bearer(tokens), "Last-Event-ID": str(accepted["id"])})
    [missed] = await read_events(again, 1)
    assert (missed["change"], missed["status"]) == ("mark_ready", "READY")
    again.close()


async def test_the_same_stream_over_websocket(chopbar, db):
    code = await placed_order(db, method="cash")
    tokens = await sign_in(chopbar)
    socket = await chopbar.ws_connect(f"/api/v1/orders/{code}/ws", headers=bearer(tokens))
    first = await asyncio.wait_for(socket.receive_json(), 5)
    assert first["status"] == "PENDING_RESTAURANT"
    await text(chopbar, RESTAURANT, f"NON {code} plus de poulet")
    second = await asyncio.wait_for(socket.receive_json(), 5)
    assert (second["change"], second["status"]) == ("reject", "REJECTED")
    await socket.close()


async def test_someone_elses_order_stream_is_404(chopbar, db):
    code = await placed_order(db, method="cash")
    stranger = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    assert (await chopbar.get(f"/api/v1/orders/{code}/events", headers=bearer(stranger))).status == 404
