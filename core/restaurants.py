"""Who acts for a restaurant from which number, what a restaurant does to itself from its console
(close, open, mark a dish sold out or available), and what Chopbar does to it: approve, refuse or
suspend it."""
from dataclasses import dataclass

from sqlalchemy import select

from core import audit
from core.db import Unit
from core.errors import NotFound
from core.models import Account, MenuItem, Restaurant
from core.restaurant_roles import RESTAURANT_ROLES, role_of_number
from core.sealing import blind
from state_machines.restaurant import RestaurantFlow


@dataclass(frozen=True)
class Workplace:
    """A restaurant a number acts for, and its role there (core.restaurant_roles)."""

    restaurant: Restaurant
    role: str


async def workplaces_of(unit: Unit, phone: str, account: Account | None) -> list[Workplace]:
    """Every restaurant this number acts for: as its main or backup console, or by the roles of its
    account (`owner:12`, `manager:12`, `staff:12`), with the strongest role it has at each.

    The first is the one its menu keywords (SOLDOUT, PRICE, REPORT, AUTO...) act on: where its role
    is strongest; between equal roles, a restaurant whose console it is, then the one whose role it
    was given last. Keywords naming an order act on that order's restaurant, whichever it is."""
    people = {}  # restaurant id -> (its roles there, the newest role row's id)
    for role in account.roles if account is not None else ():
        if role.role in RESTAURANT_ROLES and role.restaurant_id is not None:
            held, newest = people.get(role.restaurant_id, ((), 0))
            people[role.restaurant_id] = ((*held, role.role), max(newest, role.id or 0))
    found = (Restaurant.phone_key == blind(phone)) | (Restaurant.backup_phone_key == blind(phone))
    if people:
        found = found | Restaurant.id.in_(people)
    places = []
    for restaurant in await unit.session.scalars(select(Restaurant).where(found)):
        held, newest = people.get(restaurant.id, ((), 0))
        role = role_of_number(phone, console=restaurant.phone, backup=restaurant.backup_phone, person_roles=held)
        if role is not None:
            console = phone in (restaurant.phone, restaurant.backup_phone)
            places.append(((RESTAURANT_ROLES.index(role), not console, -newest, restaurant.id), Workplace(restaurant, role)))
    return [place for _, place in sorted(places, key=lambda p: p[0])]


def set_open(unit: Unit, restaurant: Restaurant, is_open: bool, *, actor: str) -> None:
    restaurant.paused = not is_open
    audit.record(unit, "restaurant", str(restaurant.id), "open" if is_open else "close", actor=actor)


async def dish_numbered(unit: Unit, restaurant: Restaurant, number: int) -> MenuItem:
    """Dish `number` of the restaurant's menu, as its `MENU <n>` list and its console number it."""
    item = await unit.session.scalar(
        select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.position == number,
                               MenuItem.archived_at.is_(None))
    )
    if item is None:
        raise NotFound(f"no dish {number} at {restaurant.name}")
    return item


async def mark_sold_out(unit: Unit, restaurant: Restaurant, number: int, *, actor: str) -> MenuItem:
    """Dish `number` (its place on the menu) is sold out, until it is marked available again."""
    item = await dish_numbered(unit, restaurant, number)
    item.available = False
    audit.record(unit, "restaurant", str(restaurant.id), "sold_out", actor=actor, data={"dish": item.id})
    return item


async def mark_available(unit: Unit, restaurant: Restaurant, number: int, *, actor: str) -> MenuItem:
    """Dish `number` is on sale again (undoes a sold out); one already on sale records nothing."""
    item = await dish_numbered(unit, restaurant, number)
    if not item.available:
        item.available = True
        audit.record(unit, "restaurant", str(restaurant.id), "available", actor=actor, data={"dish": item.id})
    return item


def change_status(unit: Unit, restaurant: Restaurant, trigger: str, *, actor: str, reason: str | None = None) -> str:
    """Fires a trigger of the restaurant lifecycle (state_machines/restaurant.py), audited; returns
    the status it left.

    Only approved restaurants are listed and take orders; the caller refreshes any catalog snapshot.
    """
    return audit.change(unit, RestaurantFlow(restaurant), trigger, actor=actor, reason=reason)
