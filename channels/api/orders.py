"""GET /api/v1/orders (the caller's, newest first, by cursor) and GET /api/v1/orders/{code}."""
from pydantic import Field
from sqlalchemy import select

from channels.api.endpoints import MAX_ID, Call, endpoint
from channels.api.requests import has_role, restaurants_of
from channels.api.schemas import OrderOut, OrderPage, Shape, cut
from channels.keys import DATABASE
from core.errors import NotFound
from core.models import DeliveryJob, Order
from core.orders import customer_orders, order_by_code

PAGE = 20


class Cursor(Shape):
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="the `next` value of the previous page")


def visible(order: Order, claims: dict) -> bool:
    """The customer's, their restaurant's staff's, and support's and admins' to see."""
    return (
        str(order.account_id) == claims["sub"] or order.restaurant_id in restaurants_of(claims)
        or has_role(claims, "support") or has_role(claims, "admin")
    )


async def visible_order(call: Call) -> Order:
    """The order named in the path, if the caller may see it (its driver too, once they hold the
    job); else 404, as if it did not exist."""
    async with call.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, call.path["code"])
        seen = visible(order, call.claims) or (
            has_role(call.claims, "driver") and await unit.session.scalar(
                select(DeliveryJob.id).where(DeliveryJob.order_id == order.id, DeliveryJob.driver_account_id == call.account_id)
            ) is not None
        )
    if not seen:
        raise NotFound(f"no order {order.code}")  # not Forbidden: whether it exists is not theirs to know
    return order


def page_of(orders: list[Order], size: int) -> OrderPage:
    """A page of orders fetched with one extra (`cut`)."""
    page, after = cut(orders, size)
    return OrderPage(items=[OrderOut.of(o) for o in page], next=after)


@endpoint("GET", "/api/v1/orders", tag="orders", query=Cursor, response=OrderPage,
          summary="My orders, newest first", roles="any signed-in account: its own orders")
async def list_orders(call: Call) -> OrderPage:
    async with call.app[DATABASE].unit() as unit:
        found = await customer_orders(unit, call.account_id, limit=PAGE + 1, before_id=call.query.cursor)
    return page_of(found, PAGE)


@endpoint("GET", "/api/v1/orders/{code}", tag="orders", response=OrderOut, etag=True,
          summary="One order, with its status", roles="its customer, its restaurant's owner and staff, support, admin")
async def get_order(call: Call) -> OrderOut:
    return OrderOut.of(await visible_order(call))
