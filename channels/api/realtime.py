"""Real-time order updates: Server-Sent Events and WebSocket, resumable, fanned out by Redis.

The audit log is the event stream: every change of an order (and of its delivery) is an
audit row, so a client that reconnects with the last id it saw (`Last-Event-ID`, or
`?after=`) gets exactly what it missed, then live updates. Committed changes are announced
on a Redis channel when configured, so a client connected to any web process hears them.
While Redis is away, changes wake this process's clients only, and the listener subscribes
again once Redis is back, waking every client so it reads what it missed from the audit log.
"""
import asyncio
import json
import logging
from collections import defaultdict
from contextlib import contextmanager

from aiohttp import WSMsgType, web

from channels.api.endpoints import Call, endpoint
from channels.api.orders import visible_order
from channels.keys import DATABASE, HUB
from channels.announcements import Announcements
from channels.outages import Watch, which
from core import audit
from core.errors import BadInput
from core.models import AuditEvent

log = logging.getLogger(__name__)
HEARTBEAT_S = 15.0
FOLLOWED = ("order", "delivery")
EVERY_ORDER = "*"  # follows every order's changes: a restaurant's board reads its own orders again
TRY_AGAIN_LATER = 1013  # WebSocket close code: the client should reconnect in a moment


class Hub:
    def __init__(self, redis=None, prefix: str = "chopbar:", watch: Watch | None = None) -> None:
        self.redis = redis
        self.news = Announcements(redis, f"{prefix}order-events", watch or Watch("redis"), what="real-time")
        self.waiting: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self.streams: set[asyncio.Task] = set()  # live clients, ended when the service stops

    def committed(self, events: list) -> None:
        """The database's listener: announce the orders that changed."""
        refs = sorted({e.entity_ref for e in events if e.entity in FOLLOWED})
        if not refs:
            return
        if self.redis is None:
            self.wake(refs)
        else:  # Redis away: at least this process's clients hear it now
            self.news.publish(json.dumps(refs), if_away=lambda: self.wake(refs))

    @property
    def tasks(self) -> set[asyncio.Task]:
        return self.news.tasks

    def wake(self, refs) -> None:
        for ref in refs:
            for queue in self.waiting.get(ref, ()):
                queue.put_nowait(ref)
        if refs and (everything := self.waiting.get(EVERY_ORDER)):
            for queue in everything:
                queue.put_nowait(EVERY_ORDER)

    async def listen(self) -> None:
        """With Redis: every process hears every announcement and wakes its own clients. An
        outage ends the subscription; it is taken again once Redis answers, backing off, and
        every client is woken to read what it missed from the audit log."""
        await self.news.listen(lambda data: self.wake(_refs(data)), subscribed=lambda: self.wake(list(self.waiting)))

    @contextmanager
    def following(self, ref: str):
        queue: asyncio.Queue = asyncio.Queue()
        self.waiting[ref].add(queue)
        task = asyncio.current_task()
        self.streams.add(task)
        try:
            yield queue
        finally:
            self.streams.discard(task)
            self.waiting[ref].discard(queue)
            if not self.waiting[ref]:
                del self.waiting[ref]

    async def close(self, app: web.Application) -> None:
        """On shutdown: live streams end now rather than at their next heartbeat."""
        for task in list(self.streams):
            task.cancel()


def _refs(data) -> list[str]:
    """The order codes of an announcement; anything else on the channel is not ours, ignored."""
    try:
        refs = json.loads(data)
    except (TypeError, ValueError):
        refs = None
    if isinstance(refs, list) and all(isinstance(r, str) for r in refs):
        return refs
    log.warning("not an announcement on the order channel", extra={"fields": {"data": str(data)[:80]}})
    return []


def as_event(row: AuditEvent) -> dict:
    return {"id": row.id, "order": row.entity_ref, "entity": row.entity, "change": row.trigger,
            "status": row.to_state, "at": row.at.isoformat()}


async def _since(request: web.Request, code: str, after: int) -> list[dict]:
    async with request.app[DATABASE].unit() as unit:
        return [as_event(r) for r in await audit.changes_since(unit, FOLLOWED, code, after)]


async def _allowed(call: Call) -> tuple[str, int]:
    code = (await visible_order(call)).code
    raw = call.request.headers.get("Last-Event-ID") or call.request.query.get("after") or "0"
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        raise BadInput("Last-Event-ID must be the id of an event")
    return code, int(raw)


async def _stream(request: web.Request, code: str, after: int, send) -> None:
    """Sends what was missed, then each change as it is committed, until the client goes, or
    until the database cannot be read: the stream then ends and the client, reconnecting with
    the last id it saw, resumes where it stopped."""
    with request.app[HUB].following(code) as queue:
        last = after
        while True:
            try:
                missed = await _since(request, code, last)
            except Exception as exc:
                if which(exc) is None:
                    raise
                log.info("stream ended by an outage", extra={"fields": {"order": code, "service": which(exc)}})
                return
            for event in missed:
                await send(event)
                last = event["id"]
            try:
                await asyncio.wait_for(queue.get(), HEARTBEAT_S)
            except TimeoutError:
                await send(None)  # keep the connection (and proxies) awake


@endpoint("GET", "/api/v1/orders/{code}/events", tag="real time", summary="Server-Sent Events: each change of the order "
          "and its delivery, resumable with Last-Event-ID", roles="who may read the order",
          extra_responses={200: "text/event-stream: `id`, `event` (order or delivery) and `data` (JSON) per change"})
async def sse(call: Call) -> web.StreamResponse:
    request = call.request
    code, after = await _allowed(call)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)

    async def send(event: dict | None) -> None:
        if event is None:
            await response.write(b": keep-alive\n\n")
        else:
            await response.write(f"id: {event['id']}\nevent: {event['entity']}\ndata: {json.dumps(event)}\n\n".encode())

    try:
        await _stream(request, code, after, send)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


@endpoint("GET", "/api/v1/orders/{code}/ws", tag="real time", summary="WebSocket: each change of the order and its "
          "delivery as a JSON message; ?after=<id> resumes", roles="who may read the order",
          extra_responses={101: "Switching to the WebSocket protocol"})
async def websocket(call: Call) -> web.WebSocketResponse:
    request = call.request
    code, after = await _allowed(call)
    socket = web.WebSocketResponse(heartbeat=HEARTBEAT_S)
    await socket.prepare(request)

    async def send(event: dict | None) -> None:
        if event is not None:
            await socket.send_json(event)

    async def until_closed() -> None:
        async for message in socket:
            if message.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break

    streaming = asyncio.ensure_future(_stream(request, code, after, send))
    closing = asyncio.ensure_future(until_closed())
    try:
        await asyncio.wait([streaming, closing], return_when=asyncio.FIRST_COMPLETED)
        if streaming.done() and not closing.done():
            await socket.close(code=TRY_AGAIN_LATER, message=b"try again shortly")
    finally:
        for task in (streaming, closing):
            task.cancel()
        for result in await asyncio.gather(streaming, closing, return_exceptions=True):
            if isinstance(result, Exception):
                log.error("websocket stream failed", exc_info=result)
    return socket


def setup(app: web.Application) -> None:
    app.on_shutdown.append(app[HUB].close)
