"""GET /api/v1/orders (the caller's, newest first, by cursor) and GET /api/v1/orders/{code}."""
from aiohttp import web

from channels.api.requests import caller, has_role, restaurants_of
from channels.keys import DATABASE
from core.errors import BadInput, NotFound
from core.models import Order
from core.orders import customer_orders, order_by_code

PAGE = 20


def as_json(order: Order) -> dict:
    return {
        "code": order.code, "status": order.status, "restaurant_id": order.restaurant_id, "channel": order.channel,
        "fulfilment": order.fulfilment, "payment_method": order.payment_method,
        "subtotal_xaf": order.subtotal_xaf, "delivery_fee_xaf": order.delivery_fee_xaf, "total_xaf": order.total_xaf,
        "quarter": order.quarter_text, "landmark": order.landmark, "created_at": order.created_at.isoformat(),
        "lines": [
            {"item_id": l.item_id, "name_en": l.name_en, "name_fr": l.name_fr, "quantity": l.quantity,
             "unit_price_xaf": l.unit_price_xaf, "options": l.options}
            for l in order.lines
        ],
    }


async def list_orders(request: web.Request) -> web.Response:
    claims = caller(request)
    cursor = request.query.get("cursor")
    if cursor is not None and not (cursor.isascii() and cursor.isdigit()):
        raise BadInput("cursor must be the `next` value of the previous page")
    async with request.app[DATABASE].unit() as unit:
        found = await customer_orders(unit, int(claims["sub"]), limit=PAGE + 1, before_id=int(cursor) if cursor else None)
    page = found[:PAGE]
    following = str(page[-1].id) if len(found) > PAGE else None
    return web.json_response({"items": [as_json(o) for o in page], "next": following})


def visible(order: Order, claims: dict) -> bool:
    """The customer's, their restaurant's staff's, and support's and admins' to see."""
    return (
        str(order.account_id) == claims["sub"] or order.restaurant_id in restaurants_of(claims)
        or has_role(claims, "support") or has_role(claims, "admin")
    )


async def get_order(request: web.Request) -> web.Response:
    claims = caller(request)
    async with request.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, request.match_info["code"])
    if not visible(order, claims):
        raise NotFound(f"no order {order.code}")  # not Forbidden: whether it exists is not theirs to know
    return web.json_response(as_json(order))


def setup(app: web.Application) -> None:
    app.router.add_get("/api/v1/orders", list_orders)
    app.router.add_get("/api/v1/orders/{code}", get_order)
