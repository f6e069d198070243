"""Slow senders, the slow kind of flood: a client that sends its headers or its body too slowly is
cut off after CHOPBAR_REQUEST_TIMEOUT, while live streams stay open as long as they like."""
import asyncio
import json

import pytest

from chopbar.app import create_app
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_realtime import RESTAURANT, read_events
from tests.payments import placed_order
from tests.sms import text

TIMEOUT_S = 1.0
PATIENCE_S = 15.0  # how long the test waits for the service to act: far more than it needs


@pytest.fixture
async def service(aiohttp_server, aiohttp_client, settings, clock):
    impatient = settings.model_copy(update=dict(request_timeout=TIMEOUT_S))
    server = await aiohttp_server(create_app(impatient, clock=clock), host="127.0.0.1", port=impatient.port)
    return await aiohttp_client(server)


async def connect(service) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(service.server.host, service.server.port)


async def everything_until_closed(reader: asyncio.StreamReader) -> bytes:
    """What the service sends before it closes the connection (a test failure if it never does)."""
    return await asyncio.wait_for(reader.read(), PATIENCE_S)


async def test_headers_that_never_finish_are_cut_off(service):
    reader, writer = await connect(service)
    writer.write(b"POST /sms/africastalking HTTP/1.1\r\nHost: chopbar\r\nContent-Type: application/x-www-form-")
    await writer.drain()
    assert await everything_until_closed(reader) == b""  # closed, nothing handled
    writer.close()


async def test_a_body_trickling_in_gets_408_and_the_connection_closed(service):
    reader, writer = await connect(service)
    writer.write(b"POST /sms/africastalking HTTP/1.1\r\nHost: chopbar\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nfrom=%2B2376")
    await writer.drain()
    answer = await everything_until_closed(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]["code"] == "request_timeout"


async def test_an_idle_connection_that_never_sends_a_request_is_closed(service):
    reader, writer = await connect(service)
    assert await everything_until_closed(reader) == b""
    writer.close()


async def test_a_request_sent_in_pieces_within_the_time_is_answered(service):
    reader, writer = await connect(service)
    body = b"from=%2B237699600001&to=2468&text=AIDE&date=2026-11-24&id=ATXid_slow1&linkId=x"
    for piece in (b"POST /sms/africastalking HTTP/1.1\r\nHost: chopbar\r\n",
                  b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n",
                  b"Content-Length: %d\r\n\r\n" % len(body), body[:20], body[20:]):
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(TIMEOUT_S / 10)
    answer = await everything_until_closed(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200 ")


async def test_a_live_stream_outlasts_the_request_timeout(service, db):
    code = await placed_order(db, method="cash")
    stream = await service.get(f"/api/v1/orders/{code}/events", headers=bearer(await sign_in(service)))
    [placed] = await read_events(stream, 1)
    await asyncio.sleep(TIMEOUT_S * 2.5)  # quiet for longer than any request may take to arrive
    await text(service, RESTAURANT, f"OUI {code} 15")
    [accepted] = await read_events(stream, 1)
    assert (placed["change"], accepted["change"]) == ("place", "accept")
    stream.close()
