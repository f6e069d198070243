"""A customer's favourite restaurants and dishes, and their usual basket: the same rules for
USSD, WhatsApp and the REST API."""
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from core import usual as usual_rule
from core.catalog import Catalog
from core.db import Units
from core.errors import BadInput, NotFound
from core.models import Favourite
from core.order_views import view_of
from core.orders import customer_orders
from core.usual import Usual

MAX_FAVOURITES = 20  # a list a phone pages through in a few screens


@dataclass(frozen=True)
class Favoured:
    """One favourite: a restaurant (`item_id` None) or one of its dishes."""

    restaurant_id: int
    item_id: int | None = None

    @property
    def is_dish(self) -> bool:
        return self.item_id is not None


def _target(catalog: Catalog, restaurant_id: int | None, item_id: int | None) -> Favoured:
    """What may be marked: an approved restaurant, or a dish on its menu now."""
    if item_id is not None:
        restaurant_id = catalog.dish(item_id).restaurant_id
    restaurant = catalog.restaurant(restaurant_id)
    if restaurant.status != "approved":
        raise NotFound(f"no restaurant {restaurant_id}")
    return Favoured(restaurant.id, item_id)


async def favourites_of(units: Units, account_id: int) -> tuple[Favoured, ...]:
    """The customer's favourites, newest first (one query)."""
    async with units.unit() as unit:
        rows = await unit.session.execute(
            select(Favourite.restaurant_id, Favourite.item_id)
            .where(Favourite.account_id == account_id).order_by(Favourite.id.desc())
        )
        return tuple(Favoured(r, i or None) for r, i in rows)


async def mark(units: Units, catalog: Catalog, account_id: int, *, restaurant_id: int | None = None,
               item_id: int | None = None) -> tuple[Favoured, bool]:
    """Marks a restaurant, or a dish, as a favourite; marking one again changes nothing.
    Returns it and whether it is new. A customer keeps at most MAX_FAVOURITES."""
    wanted = _target(catalog, restaurant_id, item_id)
    async with units.unit() as unit:
        session = unit.session
        if await _find(unit, account_id, wanted) is not None:
            return wanted, False
        count = await session.scalar(select(func.count(Favourite.id)).where(Favourite.account_id == account_id))
        if count >= MAX_FAVOURITES:
            raise BadInput(f"at most {MAX_FAVOURITES} favourites: remove one first")
        try:
            async with session.begin_nested():  # the same mark at the same moment: one row, no error
                session.add(Favourite(
                    account_id=account_id, restaurant_id=wanted.restaurant_id, item_id=wanted.item_id or 0,
                    dish_id=wanted.item_id, created_at=unit.now(),
                ))
        except IntegrityError:
            return wanted, False
        return wanted, True


async def unmark(units: Units, account_id: int, *, restaurant_id: int | None = None,
                 item_id: int | None = None) -> bool:
    """Takes a favourite off the list (also a dish since gone from its menu); False when it was not on it."""
    async with units.unit() as unit:
        query = delete(Favourite).where(Favourite.account_id == account_id)
        if item_id is not None:
            query = query.where(Favourite.item_id == item_id)
        else:
            query = query.where(Favourite.restaurant_id == restaurant_id, Favourite.item_id == 0)
        return (await unit.session.execute(query)).rowcount > 0


async def _find(unit, account_id: int, wanted: Favoured) -> int | None:
    return await unit.session.scalar(select(Favourite.id).where(
        Favourite.account_id == account_id, Favourite.restaurant_id == wanted.restaurant_id,
        Favourite.item_id == (wanted.item_id or 0),
    ))


async def usual(units: Units, account_id: int) -> Usual | None:
    """The customer's usual basket (`core.usual` holds the rule), or None."""
    async with units.unit() as unit:
        orders = await customer_orders(unit, account_id, limit=usual_rule.WINDOW)
        return usual_rule.usual_of([view_of(o) for o in orders])
