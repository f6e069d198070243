"""A restaurant's answers to its orders: accept, reject, ready, a pickup collected; from its SMS
console or its tablet."""
from collections.abc import Collection
from dataclasses import dataclass

from core import order_changes
from core.db import Unit, Units
from core.errors import Forbidden, NotFound
from core.models import Order, Restaurant
from core.order_views import OrderView, view_of
from core.orders import order_by_code, pending_for_restaurant


@dataclass(frozen=True)
class Staff:
    """Who answers: the restaurants they work for, and how the audit names them."""

    restaurant_ids: Collection[int]
    actor: str


async def accept(units: Units, code: str | None, *, by: Staff, minutes: int | None = None) -> OrderView:
    """The restaurant takes the order, ready in about `minutes`; a delivery job opens, the customer is told."""
    async with units.unit() as unit:
        order, restaurant = await _answered(unit, code, by)
        await order_changes.accept(unit, order, restaurant, actor=by.actor, minutes=minutes)
        return view_of(order)


async def reject(units: Units, code: str | None, *, by: Staff, reason: str) -> OrderView:
    """The restaurant refuses the order, saying why; the customer is told and refunded."""
    async with units.unit() as unit:
        order, restaurant = await _answered(unit, code, by)
        await order_changes.reject(unit, order, restaurant, actor=by.actor, reason=reason)
        return view_of(order)


async def mark_ready(units: Units, code: str | None, *, by: Staff) -> OrderView:
    """The food is ready for the driver or the customer, who is told."""
    async with units.unit() as unit:
        order, restaurant = await _answered(unit, code, by)
        await order_changes.mark_ready(unit, order, restaurant, actor=by.actor)
        return view_of(order)


@dataclass(frozen=True)
class Collected:
    order: OrderView
    already: bool  # it was collected before: nothing changed this time


async def collect(units: Units, code: str, *, by: Staff) -> Collected:
    """The customer took the pickup order: cash at the counter recorded, the restaurant's share released."""
    async with units.unit() as unit:
        order, restaurant = await _answered(unit, code, by)
        done = await order_changes.collect(unit, order, restaurant, actor=by.actor)
        return Collected(view_of(order), already=not done)


async def order_to_answer(units: Units, code: str | None, *, by: Staff) -> OrderView:
    """The order a restaurant's command names, or with no code the one waiting for its answer."""
    async with units.unit() as unit:
        return view_of((await _answered(unit, code, by))[0])


async def _answered(unit: Unit, code: str | None, by: Staff) -> tuple[Order, Restaurant]:
    """The order named, or with no code the one order waiting for an answer (of a single restaurant)."""
    if code is None:
        pending = [o for r in by.restaurant_ids for o in await pending_for_restaurant(unit, r)]
        if len(pending) != 1:
            raise NotFound("name the order: more or fewer than one wait for an answer")
        order = pending[0]
    else:
        order = await order_by_code(unit, code)
    if order.restaurant_id not in by.restaurant_ids:
        raise Forbidden(f"order {order.code} is not for your restaurant")
    return order, await unit.session.get(Restaurant, order.restaurant_id)
