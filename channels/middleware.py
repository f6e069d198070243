"""Request middleware: expected errors and outages become clear answers (4xx, or 503 with
Retry-After), slow senders are cut off, and every request is measured."""
import asyncio
import logging
import time

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram

from channels.outages import RETRY_AFTER_S, ServiceAway, Watch, which
from core.errors import ChopbarError

log = logging.getLogger(__name__)


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def unavailable(exc: ChopbarError) -> web.Response:
    response = web.json_response(error_body(exc.code, str(exc)), status=exc.status)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def expected_errors(watches: dict[str, Watch] | None = None):
    """A ChopbarError that escapes a handler is the caller's mistake: answer it, never 500. Redis
    or the database away is a 503 with Retry-After (providers and gateways retry), told once
    per outage in the log through the service's watch."""
    watches = watches if watches is not None else {}

    @web.middleware
    async def answer_errors(request: web.Request, handler):
        try:
            return await handler(request)
        except ChopbarError as exc:
            if exc.status == 503:
                return unavailable(exc)
            response = web.json_response(error_body(exc.code, str(exc)), status=exc.status)
            if getattr(exc, "retry_after_s", None):  # a locked account: when its codes work again
                response.headers["Retry-After"] = str(exc.retry_after_s)
            return response
        except web.HTTPException as exc:
            if exc.status >= 400 and exc.content_type != "application/json" and request.path.startswith("/api/"):
                return web.json_response(error_body(exc.reason.lower().replace(" ", "_"), exc.reason), status=exc.status)
            raise
        except Exception as exc:
            service = which(exc)
            if service is None:
                raise
            watches.setdefault(service, Watch(service)).failed(exc)
            return unavailable(ServiceAway(service))

    return answer_errors


def slow_clients(timeout_s: float):
    """A request body that has not all arrived `timeout_s` after its headers is cut off (408,
    connection closed): a sender trickling bytes would otherwise hold a connection and a
    handler forever. Headers are aiohttp's to time (its keep-alive timer, set to the same
    value, closes a connection whose request has not begun or not finished its headers).

    The body is read here, so handlers find it read; a body that came whole with its headers
    (a gateway's small form, nearly always) has nothing left to time; a multipart body (no
    route takes one) is left to its handler and its connection closed if it is still arriving
    at the deadline.
    """

    @web.middleware
    async def read_in_time(request: web.Request, handler):
        if not request.body_exists or request.content.is_eof():
            return await handler(request)
        if request.content_type == "multipart/form-data":
            timer = asyncio.get_running_loop().call_later(timeout_s, _close_if_unread, request)
            try:
                return await handler(request)
            finally:
                timer.cancel()
        try:
            async with asyncio.timeout(timeout_s):
                await request.read()
        except TimeoutError:
            log.info("request body too slow", extra={"fields": {"path": request.path[:120], "timeout_s": timeout_s}})
            response = web.json_response(
                error_body("request_timeout", f"the request did not arrive within {timeout_s:g} s"), status=408
            )
            response.force_close()
            await response.prepare(request)
            await response.write_eof()
            request.protocol.force_close()  # sent, then closed: no lingering for the rest of a body still dripping
            return response
        except ConnectionError:  # the sender went away mid-body: nobody to answer
            raise web.HTTPBadRequest(text="the request body was cut short") from None
        return await handler(request)

    return read_in_time


def _close_if_unread(request: web.Request) -> None:
    if not request.content.is_eof() and request.transport is not None:
        request.transport.close()


def measured(registry: CollectorRegistry):
    requests = Counter(
        "chopbar_http_requests", "HTTP requests answered", ["route", "method", "status"], registry=registry
    )
    latency = Histogram(
        "chopbar_http_request_seconds",
        "Time to answer an HTTP request",
        ["route"],
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        registry=registry,
    )

    # The labelled series, looked up once each: `labels()` costs more than the count itself.
    counted: dict[tuple[str, str, int], Counter] = {}
    timed: dict[str, Histogram] = {}

    @web.middleware
    async def measure(request: web.Request, handler):
        started = time.perf_counter()
        resource = request.match_info.route.resource
        route = resource.canonical if resource else "unmatched"
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            key = (route, request.method, status)
            if (count := counted.get(key)) is None:
                count = counted[key] = requests.labels(route, request.method, str(status))
            if (timer := timed.get(route)) is None:
                timer = timed[route] = latency.labels(route)
            count.inc()
            timer.observe(time.perf_counter() - started)

    return measure
