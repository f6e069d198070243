"""What a restaurant does to itself from its console (close, open, mark a dish sold out), and
what Chopbar does to it: approve, refuse or suspend it."""
from sqlalchemy import select

from core import audit
from core.db import Unit
from core.errors import NotFound
from core.models import MenuItem, Restaurant
from state_machines.restaurant import RestaurantFlow


def set_open(unit: Unit, restaurant: Restaurant, is_open: bool, *, actor: str) -> None:
    restaurant.paused = not is_open
    audit.record(unit, "restaurant", str(restaurant.id), "open" if is_open else "close", actor=actor)


async def mark_sold_out(unit: Unit, restaurant: Restaurant, number: int, *, actor: str) -> MenuItem:
    """Dish `number` (its place on the menu) is sold out; it comes back with the next menu reset."""
    item = await unit.session.scalar(
        select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.position == number)
    )
    if item is None:
        raise NotFound(f"no dish {number} at {restaurant.name}")
    item.available = False
    audit.record(unit, "restaurant", str(restaurant.id), "sold_out", actor=actor, data={"dish": item.id})
    return item


def change_status(unit: Unit, restaurant: Restaurant, trigger: str, *, actor: str, reason: str | None = None) -> str:
    """Fires a trigger of the restaurant lifecycle (state_machines/restaurant.py), audited; returns
    the status it left.

    Only approved restaurants are listed and take orders; the caller refreshes any catalog snapshot.
    """
    return audit.change(unit, RestaurantFlow(restaurant), trigger, actor=actor, reason=reason)
