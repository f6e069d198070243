"""Declaring an API endpoint once: its path, who may call it, and the pydantic models of its query,
body and answer. The same declaration validates each request, shapes each answer and writes the
OpenAPI document (`channels.api.openapi`), so the document cannot drift from the code.

    @endpoint("POST", "/api/v1/orders", tag="orders", body=PlaceOrder, response=OrderOut, status=201,
              idempotent=True, summary="Place an order")
    async def place(call: Call) -> OrderOut: ...

A handler gets a `Call` (the request, its validated query and body, the caller's claims, the path
values) and returns a model or a dict of the declared response, or an `aiohttp` response of its own
(a stream, a WebSocket). Path values named `*_id` are integers; one that is not is a 404, as a missing row is.
"""
import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from channels.api.requests import caller
from core.errors import BadInput, NotFound

PATH_VALUE = re.compile(r"{(\w+)}")
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database


@dataclass
class Call:
    request: web.Request
    path: dict[str, Any]
    query: Any = None
    body: Any = None
    claims: dict | None = None

    @property
    def app(self) -> web.Application:
        return self.request.app

    @property
    def account_id(self) -> int:
        return int(self.claims["sub"])


Handler = Callable[[Call], Awaitable[Any]]


@dataclass
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = True
    idempotent: bool = False
    etag: bool = False  # hot reads: an ETag, and 304 to a client that already has this answer
    roles: str = ""  # who may call it, in words, for the document
    text_body: str | None = None  # a body that is not JSON (e.g. "text/csv"): the handler reads it itself
    text_response: str | None = None  # an answer that is not JSON (e.g. "text/csv"): the handler makes it
    extra_responses: dict[int, str] = field(default_factory=dict)
    enrolling: bool = False  # the second factor's own: open to a support or admin account not yet enrolled

    @property
    def path_values(self) -> list[str]:
        return PATH_VALUE.findall(self.path)

    @property
    def operation_id(self) -> str:
        return self.handler.__module__.rsplit(".", 1)[-1] + "_" + self.handler.__name__


ENDPOINTS: list[Endpoint] = []


def endpoint(method: str, path: str, *, summary: str, tag: str, **options) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ENDPOINTS.append(Endpoint(method, path, handler, summary, tag, **options))
        return handler

    return register


def problems(exc: ValidationError) -> str:
    """Pydantic's errors as one line a developer can act on: `lines.0.quantity: ...; phone: ...`."""
    said = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(part) for part in error["loc"]) or "body"
        said.append(f"{where}: {error['msg']}")
    return "; ".join(said)


def _path(endpoint: Endpoint, request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in endpoint.path_values:
        raw = request.match_info[name]
        if name.endswith("_id"):
            if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not 0 < int(raw) <= MAX_ID:
                raise NotFound(f"no {name[:-3]} {raw[:20]!r}")
            values[name] = int(raw)
        else:
            values[name] = raw
    return values


async def _body(endpoint: Endpoint, request: web.Request) -> Any:
    raw = await request.read()
    try:
        return endpoint.body.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise BadInput("the body is not JSON") from None
        raise BadInput(problems(exc)) from None


def _query(endpoint: Endpoint, request: web.Request) -> Any:
    try:
        return endpoint.query.model_validate({k: v for k, v in request.query.items()})
    except ValidationError as exc:
        raise BadInput(problems(exc)) from None


def answer(endpoint: Endpoint, result: Any, request: web.Request) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    if result is None:
        return web.Response(status=204)
    model = result if isinstance(result, BaseModel) else endpoint.response.model_validate(result)
    body = model.model_dump_json().encode()
    if not endpoint.etag:
        return web.Response(body=body, status=endpoint.status, content_type="application/json")
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if tag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers={"ETag": tag})
    return web.Response(body=body, status=endpoint.status, content_type="application/json",
                        headers={"ETag": tag, "Cache-Control": "no-cache"})


def handler_for(endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    from channels.api import idempotency  # it stores answers made here

    async def handle(request: web.Request) -> web.StreamResponse:
        claims = await caller(request, enrolling=endpoint.enrolling) if endpoint.auth else None
        call = Call(request, _path(endpoint, request), claims=claims)
        if endpoint.query is not None:
            call.query = _query(endpoint, request)
        if endpoint.idempotent:
            return await idempotency.once(call, lambda: _run(endpoint, call))
        return await _run(endpoint, call)

    return handle


async def _run(endpoint: Endpoint, call: Call) -> web.StreamResponse:
    if endpoint.body is not None:
        call.body = await _body(endpoint, call.request)
    return answer(endpoint, await endpoint.handler(call), call.request)


def install(app: web.Application) -> None:
    for each in ENDPOINTS:
        app.router.add_route(each.method, each.path, handler_for(each), name=each.operation_id)
