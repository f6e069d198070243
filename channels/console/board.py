"""The restaurant's live board, /console/restaurants/{id}: orders waiting for an answer (oldest
first: their acceptance window runs), then the kitchen queue (accepted, ready) by when each must
be ready. Accept, reject, ready and collected are plain forms posting to the same core use cases
as SMS and REST (core.use_cases.kitchen), each answered by a redirect to the board; with scripts
on, htmx posts them and swaps the board in place.

New orders arrive by Server-Sent Events (`/events`): the stream follows every order change the
real-time hub hears (Redis pub/sub when configured, so a change committed by any process), reads
this restaurant's board again and sends `board` when it changed (`new` when an order is waiting
that was not before: the page beeps). A stream never refreshes tokens (its headers are sent
already): it answers 401 when the access token has run out or been revoked, the script reloads
the board through an ordinary request, which refreshes, and reconnects.
"""
import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp_session import get_session

from channels.api.realtime import EVERY_ORDER, HEARTBEAT_S
from channels.console.foundation import PREFIX, language, page, person_without_refresh, see_other, working_at
from channels.keys import DATABASE, HUB, SETTINGS, WAKE
from channels.outages import which
from core import restaurant_roles as roles
from core.errors import BadInput, ChopbarError
from core.formatting import clock_text, money
from core.i18n import N_, translate
from core.order_views import OrderView
from core.use_cases import kitchen, tracking, upkeep
from state_machines.order import OrderStatus

WAITING = (OrderStatus.PENDING_RESTAURANT.value,)
KITCHEN = (OrderStatus.ACCEPTED.value, OrderStatus.PREPARING.value, OrderStatus.READY.value)
SHOWN = 100  # a board this long is a kitchen in trouble; the API lists them all
SETTLE_S = 0.3  # changes arriving together are read once


@dataclass(frozen=True)
class Card:
    """One order as the board shows it."""

    code: str
    status: str
    pickup: bool
    lines: list[str]
    total: str
    since: str  # when it reached the restaurant
    due: str | None  # when it must be ready
    due_at: datetime | None
    where: str


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _line(line, lang: str) -> str:
    """'2 x Poulet DG (Grand, Plantain)': the dish and the options chosen, in the page's language."""
    name = line.name_fr if lang == "fr" else line.name_en
    options = [o.get("name_fr" if lang == "fr" else "name_en", "") for o in line.options]
    return f"{line.quantity} x {name}" + (f" ({', '.join(o for o in options if o)})" if any(options) else "")


def _card(order: OrderView, lang: str, tz: str) -> Card:
    reached = _aware(order.reached_restaurant_at or order.created_at)
    accepted = _aware(order.accepted_at)
    due_at = accepted + timedelta(minutes=order.ready_in_minutes or 0) if accepted else None
    lines = [_line(l, lang) for l in order.lines]
    return Card(
        code=order.code, status=order.status, pickup=order.fulfilment == "pickup", lines=lines,
        total=money(order.total_xaf, lang), since=clock_text(reached, lang, tz),
        due=clock_text(due_at, lang, tz) if due_at else None, due_at=due_at,
        where=", ".join(p for p in (order.quarter_text, order.landmark) if p),
    )


async def _board(request: web.Request, restaurant_id: int) -> dict:
    app = request.config_dict
    lang, tz = language(request), app[SETTINGS].timezone
    found = await tracking.restaurant_orders(app[DATABASE], restaurant_id, statuses=WAITING + KITCHEN, limit=SHOWN)
    waiting = [_card(o, lang, tz) for o in sorted((o for o in found if o.status in WAITING), key=_reached)]
    cards = [_card(o, lang, tz) for o in found if o.status in KITCHEN]
    far = datetime.max.replace(tzinfo=UTC)
    queue = sorted(cards, key=lambda c: (c.due_at or far, c.code))
    return {"restaurant_id": restaurant_id, "waiting": waiting, "queue": queue,
            "fingerprint": _fingerprint(found)}


def _reached(order: OrderView) -> datetime:
    return _aware(order.reached_restaurant_at or order.created_at)


def _fingerprint(found: list[OrderView]) -> str:
    return ",".join(sorted(f"{o.code}:{o.status}" for o in found))


RESTAURANT = "/restaurants/{restaurant_id:\\d{1,9}}"  # a restaurant's pages start here


def restaurant_of(request: web.Request) -> int:
    return int(request.match_info["restaurant_id"])


async def board_page(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.ANSWER)
    place = await upkeep.standing(request.config_dict[DATABASE], restaurant_id)
    notice = (await get_session(request)).pop("notice", None)
    board = await _board(request, restaurant_id)
    return page(request, "board.html", place=place, notice=notice, **board)


async def board_fragment(request: web.Request) -> web.Response:
    """The board alone, for htmx to swap in when the stream says it changed."""
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.ANSWER)
    return page(request, "_board.html", notice=None, **await _board(request, restaurant_id))


async def _answer(request: web.Request, act) -> web.Response:
    """Runs one kitchen answer; a refusal (already answered, a missing reason) is shown on the board."""
    restaurant_id = restaurant_of(request)
    who = await working_at(request, restaurant_id, roles.ANSWER)
    form = await request.post()
    staff = kitchen.Staff(restaurant_ids=(restaurant_id,), actor=who.actor)
    notice = None
    try:
        await act(request.config_dict[DATABASE], request.match_info["code"], staff, form)
        request.config_dict[WAKE].set()  # the customer's SMS leaves now, not at the worker's next look
    except ChopbarError as exc:
        if exc.status == 503 or exc.status == 403:
            raise
        notice = str(exc)
    if request.headers.get("HX-Request"):
        return page(request, "_board.html", notice=notice, **await _board(request, restaurant_id))
    if notice:
        (await get_session(request))["notice"] = notice
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}")


def _minutes(form, lang: str) -> int | None:
    raw = str(form.get("minutes", "")).strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
        raise BadInput(translate(N_("Minutes are a whole number, like 20."), lang))
    return int(raw)


async def accept(request: web.Request) -> web.Response:
    lang = language(request)

    async def act(units, code, staff, form):
        await kitchen.accept(units, code, by=staff, minutes=_minutes(form, lang))
    return await _answer(request, act)


async def reject(request: web.Request) -> web.Response:
    lang = language(request)

    async def act(units, code, staff, form):
        reason = " ".join(str(form.get("reason", "")).split())[:200]
        if not reason:
            raise BadInput(translate(N_("Say why you refuse the order: the customer is told."), lang))
        await kitchen.reject(units, code, by=staff, reason=reason)
    return await _answer(request, act)


async def ready(request: web.Request) -> web.Response:
    async def act(units, code, staff, form):
        await kitchen.mark_ready(units, code, by=staff)
    return await _answer(request, act)


async def collected(request: web.Request) -> web.Response:
    async def act(units, code, staff, form):
        await kitchen.collect(units, code, by=staff)
    return await _answer(request, act)


async def events(request: web.Request) -> web.StreamResponse:
    """text/event-stream: `board` each time the board changed, `: keep-alive` in between."""
    restaurant_id = restaurant_of(request)
    who = await person_without_refresh(request)
    if who is None or not roles.may(who.role_at(restaurant_id), roles.ANSWER):
        return web.Response(status=401 if who is None else 403, text="sign in again")
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no"})
    hub = request.config_dict[HUB]
    try:
        with hub.following(EVERY_ORDER) as queue:
            await response.prepare(request)
            last = (await _board(request, restaurant_id))["fingerprint"]
            while True:
                try:
                    await asyncio.wait_for(queue.get(), HEARTBEAT_S)
                    await asyncio.sleep(SETTLE_S)
                    while not queue.empty():
                        queue.get_nowait()
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    if await person_without_refresh(request, again=True) is None:
                        return response  # signed out, or the token ran out: the script reconnects
                try:
                    board = await _board(request, restaurant_id)
                except Exception as exc:
                    if which(exc) is None:
                        raise
                    return response  # an outage ends the stream; the script reconnects
                if board["fingerprint"] != last:
                    before = {p.split(":")[0] for p in last.split(",") if p.endswith(":" + WAITING[0])}
                    new = [c.code for c in board["waiting"] if c.code not in before]
                    last = board["fingerprint"]
                    data = json.dumps({"new": new})
                    await response.write(f"event: board\ndata: {data}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


def setup(console: web.Application) -> None:
    base = RESTAURANT
    console.router.add_get(base, board_page)
    console.router.add_get(base + "/board", board_fragment)
    console.router.add_get(base + "/events", events)
    order = base + "/orders/{code:\\d{6}}"
    console.router.add_post(order + "/accept", accept)
    console.router.add_post(order + "/reject", reject)
    console.router.add_post(order + "/ready", ready)
    console.router.add_post(order + "/collected", collected)
