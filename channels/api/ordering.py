"""Placing and changing orders from the apps.

POST /api/v1/orders needs an `Idempotency-Key`: the same key from the same account returns the
order it placed the first time, however often the app retries. Restaurants' owners and staff
accept, reject and mark ready their own orders; a customer cancels theirs before acceptance.
"""
from aiohttp import web
from sqlalchemy import select

from channels.api.orders import as_json
from channels.api.requests import caller, json_body, restaurants_of
from channels.keys import DATABASE, SETTINGS, WAKE
from core import order_changes
from core.errors import BadInput, Forbidden, NotFound
from core.models import Account, Quarter, Restaurant
from core.orders import Destination, LineRequest, Placement, order_by_code, place_order
from core.payments import ensure_payment
from core.phones import to_e164

MAX_KEY = 100


def _lines(raw) -> list[LineRequest]:
    if not isinstance(raw, list) or not raw:
        raise BadInput("lines: a non-empty list of {item_id, quantity, option_ids}")
    lines = []
    for line in raw:
        if not isinstance(line, dict):
            raise BadInput("each line is an object")
        item, quantity, options = line.get("item_id"), line.get("quantity", 1), line.get("option_ids", [])
        if not isinstance(item, int) or not isinstance(quantity, int) or not isinstance(options, list) or not all(isinstance(o, int) for o in options):
            raise BadInput("item_id and quantity are integers, option_ids a list of integers")
        lines.append(LineRequest(item, quantity, tuple(options)))
    return lines


async def _destination(unit, body: dict, restaurant: Restaurant) -> Destination | None:
    if body.get("fulfilment", "delivery") == "pickup":
        return None
    address = body.get("address")
    if not isinstance(address, dict) or not isinstance(address.get("quarter"), str) or not address["quarter"].strip():
        raise BadInput("address: {quarter, landmark} for a delivery (or fulfilment: pickup)")
    quarter = await unit.session.scalar(
        select(Quarter).where(Quarter.city == restaurant.city, Quarter.name == address["quarter"].strip())
    )
    return Destination(
        city=restaurant.city, quarter_text=address["quarter"].strip()[:80], landmark=str(address.get("landmark", ""))[:120],
        quarter_id=quarter.id if quarter else None, lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None,
    )


async def place(request: web.Request) -> web.Response:
    claims = caller(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY:
        raise BadInput("send an Idempotency-Key header (at most 100 characters) with every order")
    body = await json_body(request)
    if not isinstance(body.get("restaurant_id"), int):
        raise BadInput("restaurant_id: an integer")
    method = body.get("payment_method", "cash")
    settings = request.app[SETTINGS]
    async with request.app[DATABASE].unit() as unit:
        customer = await unit.session.get(Account, int(claims["sub"]))
        restaurant = await unit.session.get(Restaurant, body["restaurant_id"])
        if restaurant is None:
            raise NotFound(f"no restaurant {body['restaurant_id']}")
        payer = to_e164(body["payer_phone"]) if isinstance(body.get("payer_phone"), str) else None
        order = await place_order(
            unit,
            Placement(
                customer=customer, restaurant_id=restaurant.id, lines=_lines(body.get("lines")), payment_method=method,
                channel="app", language=customer.language, destination=await _destination(unit, body, restaurant),
                payer_phone=payer, origin_key=f"api:{customer.id}:{key}",
            ),
            tz=settings.timezone,
        )
        await ensure_payment(unit, order, window_s=settings.payment_window)
        answer = as_json(order)
    if method != "cash":
        request.app[WAKE].set()
    return web.json_response(answer, status=201)


async def _restaurant_order(request: web.Request):
    claims = caller(request)
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, request.match_info["code"])
    if order.restaurant_id not in restaurants_of(claims):
        raise Forbidden(f"order {order.code} is not for your restaurant")
    return claims, order


async def accept(request: web.Request) -> web.Response:
    claims, order = await _restaurant_order(request)
    body = await json_body(request)
    minutes = body.get("minutes")
    if minutes is not None and not isinstance(minutes, int):
        raise BadInput("minutes: an integer")
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, order.code)
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await order_changes.accept(unit, order, restaurant, actor=f"app:{claims['sub']}", minutes=minutes)
        answer = as_json(order)
    request.app[WAKE].set()
    return web.json_response(answer)


async def reject(request: web.Request) -> web.Response:
    claims, order = await _restaurant_order(request)
    body = await json_body(request, "reason")
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, order.code)
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await order_changes.reject(unit, order, restaurant, actor=f"app:{claims['sub']}", reason=body["reason"])
        answer = as_json(order)
    return web.json_response(answer)


async def ready(request: web.Request) -> web.Response:
    claims, order = await _restaurant_order(request)
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, order.code)
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await order_changes.mark_ready(unit, order, restaurant, actor=f"app:{claims['sub']}")
        answer = as_json(order)
    request.app[WAKE].set()
    return web.json_response(answer)


async def cancel(request: web.Request) -> web.Response:
    claims = caller(request)
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, request.match_info["code"])
        if str(order.account_id) != claims["sub"]:
            raise NotFound(f"no order {order.code}")
        customer = await unit.session.get(Account, order.account_id)
        await order_changes.cancel_by_customer(unit, order, customer, reason="cancelled in the app")
        answer = as_json(order)
    return web.json_response(answer)


def setup(app: web.Application) -> None:
    app.router.add_post("/api/v1/orders", place)
    app.router.add_post("/api/v1/orders/{code}/accept", accept)
    app.router.add_post("/api/v1/orders/{code}/reject", reject)
    app.router.add_post("/api/v1/orders/{code}/ready", ready)
    app.router.add_post("/api/v1/orders/{code}/cancel", cancel)
