"""Following orders: one order for whoever may read it, a customer's list, a restaurant's list."""
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from core.db import Unit, Units
from core.errors import NotFound
from core.models import DeliveryJob, Order
from core.order_views import OrderView, view_of
from core.orders import order_by_code


@dataclass(frozen=True)
class Viewer:
    """Who asks to read an order, as their credentials say."""

    account_id: int
    restaurant_ids: Collection[int] = ()  # restaurants they work for (owner or staff)
    sees_all: bool = False  # support and admins
    drives: bool = False  # a driver reads the orders whose job they hold


async def visible_order(units: Units, code: str, viewer: Viewer) -> OrderView:
    """The order if the viewer may read it: its customer, its restaurant's staff, support and
    admins, its driver once they hold the job; else NotFound, as if it did not exist."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        if not (_sees(order, viewer) or viewer.drives and await _drives(unit, order, viewer.account_id)):
            raise NotFound(f"no order {order.code}")  # not Forbidden: whether it exists is not theirs to know
        return view_of(order)


def _sees(order: Order, viewer: Viewer) -> bool:
    return order.account_id == viewer.account_id or order.restaurant_id in viewer.restaurant_ids or viewer.sees_all


async def _drives(unit: Unit, order: Order, account_id: int) -> bool:
    held = await unit.session.scalar(
        select(DeliveryJob.id).where(DeliveryJob.order_id == order.id, DeliveryJob.driver_account_id == account_id)
    )
    return held is not None


async def restaurant_orders(
    units: Units, restaurant_id: int, *, statuses: Collection[str] | None, limit: int, before_id: int | None = None,
) -> list[OrderView]:
    """A restaurant's orders in these statuses (None: all), newest first, from before the cursor."""
    query = select(Order).where(Order.restaurant_id == restaurant_id)
    if statuses is not None:
        query = query.where(Order.status.in_(statuses))
    if before_id:
        query = query.where(Order.id < before_id)
    async with units.unit() as unit:
        return [view_of(o) for o in await unit.session.scalars(query.order_by(Order.id.desc()).limit(limit))]
