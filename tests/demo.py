"""Finding things in the seeded demo data from tests, by what they are rather than by id."""
from sqlalchemy import select

from chopbar import demo_data
from core.db import Unit
from core.models import Account, MenuItem, Restaurant
from core.sealing import blind

CUSTOMER_FR = next(p for p in demo_data.PEOPLE if p.role == "customer" and p.language == "fr" and p.city == "Yaounde")
CUSTOMER_EN = next(p for p in demo_data.PEOPLE if p.role == "customer" and p.language == "en" and p.city == "Yaounde")


def open_all_day(r: demo_data.DemoRestaurant) -> bool:
    days = {d for h in r.hours if (h.opens, h.closes) == ("00:00", "24:00") for d in h.weekdays}
    return days == set(range(7))


ALL_DAY_YAOUNDE = next(r for r in demo_data.RESTAURANTS if r.city == "Yaounde" and open_all_day(r))


async def restaurant(unit: Unit, slug: str = ALL_DAY_YAOUNDE.slug) -> Restaurant:
    return await unit.session.scalar(select(Restaurant).where(Restaurant.slug == slug))


async def account(unit: Unit, phone: str) -> Account:
    return await unit.session.scalar(select(Account).where(Account.phone_key == blind(phone)))


async def dish(unit: Unit, restaurant_id: int, *, with_options: bool) -> MenuItem:
    """An available dish of the restaurant, with option groups or without any."""
    items = await unit.session.scalars(
        select(MenuItem).where(MenuItem.restaurant_id == restaurant_id, MenuItem.available.is_(True)).order_by(MenuItem.position)
    )
    return next(i for i in items if bool(i.option_groups) == with_options)
