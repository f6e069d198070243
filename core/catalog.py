"""Browsing: restaurants of a city (open ones first), their menus, dishes and options."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import quarters
from core.db import Unit
from core.errors import NotFound
from core.hours import is_open_at
from core.models import MenuCategory, MenuItem, Quarter, Restaurant


@dataclass(frozen=True)
class Listing:
    restaurant: Restaurant
    is_open: bool
    distance_km: float | None  # straight line from the customer's quarter, when known


def accepts_orders(restaurant: Restaurant, at: datetime, tz: str) -> bool:
    return restaurant.status == "approved" and not restaurant.paused and is_open_at(restaurant.hours, at, tz)


async def cities(unit: Unit) -> list[str]:
    rows = await unit.session.scalars(
        select(Restaurant.city).where(Restaurant.status == "approved").distinct().order_by(Restaurant.city)
    )
    return list(rows)


async def restaurants_in(
    unit: Unit,
    city: str,
    *,
    tz: str,
    near: Quarter | None = None,
    category: str | None = None,
) -> list[Listing]:
    """Approved restaurants of a city: open now first, then nearest to `near`, then by name.

    `category` keeps those whose menu has a category of that name (either language).
    """
    query = select(Restaurant).where(Restaurant.city == city, Restaurant.status == "approved")
    if category:
        wanted = category.strip().lower()
        query = query.where(
            Restaurant.id.in_(
                select(MenuCategory.restaurant_id).where(
                    (MenuCategory.name_en.ilike(wanted)) | (MenuCategory.name_fr.ilike(wanted))
                )
            )
        )
    now = unit.now()
    listings = []
    for restaurant in await unit.session.scalars(query):
        distance = (
            quarters.distance_km(near.lat, near.lon, restaurant.lat, restaurant.lon) if near is not None else None
        )
        listings.append(Listing(restaurant, accepts_orders(restaurant, now, tz), distance))
    listings.sort(key=lambda l: (not l.is_open, l.distance_km or 0.0, l.restaurant.name))
    return listings


async def restaurant(unit: Unit, restaurant_id: int) -> Restaurant:
    found = await unit.session.get(Restaurant, restaurant_id)
    if found is None:
        raise NotFound(f"no restaurant {restaurant_id}")
    return found


async def restaurant_by_phone(unit: Unit, phone: str) -> Restaurant | None:
    """The restaurant whose console (main or backup contact) is this number."""
    return await unit.session.scalar(
        select(Restaurant).where((Restaurant.phone == phone) | (Restaurant.backup_phone == phone)).limit(1)
    )


async def categories(unit: Unit, restaurant_id: int) -> list[MenuCategory]:
    rows = await unit.session.scalars(
        select(MenuCategory).where(MenuCategory.restaurant_id == restaurant_id).order_by(MenuCategory.position)
    )
    return list(rows)


async def dishes(unit: Unit, restaurant_id: int, category_id: int | None = None) -> list[MenuItem]:
    """A restaurant's dishes in menu order (sold-out ones included: callers mark them)."""
    query = select(MenuItem).where(MenuItem.restaurant_id == restaurant_id)
    if category_id is not None:
        query = query.where(MenuItem.category_id == category_id)
    return list(await unit.session.scalars(query.order_by(MenuItem.position)))


async def dish(unit: Unit, item_id: int, restaurant_id: int | None = None) -> MenuItem:
    item = await unit.session.get(MenuItem, item_id)
    if item is None or (restaurant_id is not None and item.restaurant_id != restaurant_id):
        raise NotFound(f"no dish {item_id}")
    return item
