"""Request middleware: expected errors become clear 4xx answers, and every request is measured."""
import logging
import time

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram

from core.errors import ChopbarError

log = logging.getLogger(__name__)


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


@web.middleware
async def expected_errors(request: web.Request, handler):
    """A ChopbarError that escapes a handler is the caller's mistake: answer it, never 500."""
    try:
        return await handler(request)
    except ChopbarError as exc:
        return web.json_response(error_body(exc.code, str(exc)), status=exc.status)
    except web.HTTPException as exc:
        if exc.status >= 400 and exc.content_type != "application/json" and request.path.startswith("/api/"):
            return web.json_response(error_body(exc.reason.lower().replace(" ", "_"), exc.reason), status=exc.status)
        raise


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

    @web.middleware
    async def measure(request: web.Request, handler):
        started = time.perf_counter()
        route = request.match_info.route.resource.canonical if request.match_info.route.resource else "unmatched"
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            requests.labels(route, request.method, str(status)).inc()
            latency.labels(route).observe(time.perf_counter() - started)

    return measure
