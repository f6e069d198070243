"""GET /api/v1/orders (the caller's, newest first, by cursor) and GET /api/v1/orders/{code}."""
from pydantic import Field

from channels.api.endpoints import MAX_ID, Call, endpoint
from channels.api.requests import has_role, restaurants_of
from channels.api.schemas import OrderOut, OrderPage, Shape, cut
from channels.keys import DATABASE
from core.order_views import OrderView
from core.use_cases import ordering, tracking

PAGE = 20


class Cursor(Shape):
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="the `next` value of the previous page")


def viewer(call: Call) -> tracking.Viewer:
    claims = call.claims
    return tracking.Viewer(
        account_id=call.account_id, restaurant_ids=restaurants_of(claims),
        sees_all=has_role(claims, "support") or has_role(claims, "admin"), drives=has_role(claims, "driver"),
    )


async def visible_order(call: Call) -> OrderView:
    """The order named in the path, if the caller may see it; else 404, as if it did not exist."""
    return await tracking.visible_order(call.app[DATABASE], call.path["code"], viewer(call))


def page_of(orders: list[OrderView], size: int) -> OrderPage:
    """A page of orders fetched with one extra (`cut`)."""
    page, after = cut(orders, size)
    return OrderPage(items=[OrderOut.of(o) for o in page], next=after)


@endpoint("GET", "/api/v1/orders", tag="orders", query=Cursor, response=OrderPage,
          summary="My orders, newest first", roles="any signed-in account: its own orders")
async def list_orders(call: Call) -> OrderPage:
    found = await ordering.orders_of(call.app[DATABASE], call.account_id, limit=PAGE + 1, before_id=call.query.cursor)
    return page_of(found, PAGE)


@endpoint("GET", "/api/v1/orders/{code}", tag="orders", response=OrderOut, etag=True,
          summary="One order, with its status", roles="its customer, its restaurant's owner and staff, support, admin")
async def get_order(call: Call) -> OrderOut:
    return OrderOut.of(await visible_order(call))
