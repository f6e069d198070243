"""What a restaurant does to itself from its console (close, open, mark a dish sold out), and
what Chopbar does to it: approve or suspend it."""
from sqlalchemy import select

from core import audit
from core.db import Unit
from core.errors import IllegalTransition, NotFound
from core.models import MenuItem, Restaurant

# trigger: (statuses it may leave, status it reaches)
STATUS_MOVES = {
    "approve": (("pending", "suspended"), "approved"),
    "suspend": (("pending", "approved"), "suspended"),
}


def set_open(unit: Unit, restaurant: Restaurant, is_open: bool, *, actor: str) -> None:
    restaurant.paused = not is_open
    audit.record(unit, "restaurant", str(restaurant.id), "open" if is_open else "close", actor=actor)


async def mark_sold_out(unit: Unit, restaurant: Restaurant, number: int, *, actor: str) -> MenuItem:
    """Dish `number` (its place on the menu) is sold out; it comes back with the next menu reset."""
    item = await unit.session.scalar(
        select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.position == number,
                               MenuItem.archived_at.is_(None))
    )
    if item is None:
        raise NotFound(f"no dish {number} at {restaurant.name}")
    item.available = False
    audit.record(unit, "restaurant", str(restaurant.id), "sold_out", actor=actor, data={"dish": item.id})
    return item


def change_status(unit: Unit, restaurant: Restaurant, trigger: str, *, actor: str, reason: str | None = None) -> str:
    """Approves or suspends a restaurant as STATUS_MOVES allows, audited; returns the status it left.

    Only approved restaurants are listed and take orders; the caller refreshes any catalog snapshot.
    """
    sources, destination = STATUS_MOVES[trigger]
    before = restaurant.status
    if before not in sources:
        raise IllegalTransition("restaurant", str(restaurant.id), before, trigger)
    restaurant.status = destination
    audit.record(unit, "restaurant", str(restaurant.id), trigger, actor=actor, from_state=before, to_state=destination,
                 reason=reason)
    return before
