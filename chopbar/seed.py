"""Seeds the quarter gazetteer (into any database, idempotently) and the fixed demo data
(restaurants, menus, people, promo codes and offers) into an empty one."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from chopbar import demo_data
from core import quarters, second_factor
from core.db import Database, Unit
from core.dedupe import insert_once
from core.hours import span
from core.models import (
    Account,
    Address,
    Driver,
    MenuCategory,
    MenuItem,
    MenuOption,
    OpeningHours,
    OptionGroup,
    PromoCode,
    Quarter,
    Restaurant,
    RestaurantOffer,
    Role,
)

DEMO_TIMEZONE = "Africa/Douala"  # the demo's dates and hours are local there


async def seed_quarters(unit: Unit) -> dict[tuple[str, str], Quarter]:
    """Adds the gazetteer's quarters that are not stored yet; returns all by (city, name)."""
    stored = {(q.city, q.name): q for q in await unit.session.scalars(select(Quarter))}
    for q in quarters.load_quarters():
        if (q.city, q.name) not in stored:
            row = Quarter(
                city=q.city, name=q.name, arrondissement=q.arrondissement, lat=q.lat, lon=q.lon,
                aliases="|".join(q.aliases), source=q.source,
            )
            unit.session.add(row)
            stored[(q.city, q.name)] = row
    await unit.session.flush()
    return stored


async def seed_gazetteer(db: Database) -> int:
    """Adds the gazetteer's quarters that are missing, and nothing else; returns how many it added.

    Several processes may start at once on an empty database: each quarter is inserted unless it
    is there (`ON CONFLICT DO NOTHING`), so they neither fail nor add one twice."""
    async with db.unit() as unit:
        stored = set((await unit.session.execute(select(Quarter.city, Quarter.name))).all())
        added = 0
        for q in quarters.load_quarters():
            if (q.city, q.name) in stored:
                continue
            added += await insert_once(
                unit, Quarter, ["city", "name"], city=q.city, name=q.name, arrondissement=q.arrondissement, lat=q.lat,
                lon=q.lon, aliases="|".join(q.aliases), source=q.source,
            )
    return added


def _option_group(group: demo_data.DemoOptionGroup, position: int) -> OptionGroup:
    return OptionGroup(
        name_en=group.name_en, name_fr=group.name_fr, min_choices=group.min_choices,
        max_choices=group.max_choices, position=position,
        options=[
            MenuOption(name_en=o.name_en, name_fr=o.name_fr, price_delta_xaf=o.price_delta_xaf, position=i)
            for i, o in enumerate(group.options, 1)
        ],
    )


async def seed_restaurant(unit: Unit, demo: demo_data.DemoRestaurant, quarter: Quarter) -> Restaurant:
    restaurant = Restaurant(
        slug=demo.slug, name=demo.name, city=demo.city, quarter_id=quarter.id, landmark=demo.landmark,
        lat=quarter.lat, lon=quarter.lon, phone=demo.phone, backup_phone=demo.backup_phone,
        language="fr", status="approved" if demo.approved else "pending",
        completed_orders=demo.completed_orders, created_at=unit.now(),
        hours=[
            OpeningHours(weekday=day, opens_min=start, closes_min=end)
            for h in demo.hours
            for start, end in [span(h.opens, h.closes)]
            for day in h.weekdays
        ],
    )
    unit.session.add(restaurant)
    await unit.session.flush()
    number = 0
    for c_pos, demo_category in enumerate(demo.categories, 1):
        category = MenuCategory(
            restaurant_id=restaurant.id, name_en=demo_category.name_en, name_fr=demo_category.name_fr,
            position=c_pos,
        )
        unit.session.add(category)
        await unit.session.flush()
        for dish in demo_category.dishes:
            number += 1
            unit.session.add(
                MenuItem(
                    restaurant_id=restaurant.id, category_id=category.id, name_en=dish.name_en,
                    name_fr=dish.name_fr, description_en=dish.description_en,
                    description_fr=dish.description_fr, price_xaf=dish.price_xaf, available=dish.available,
                    position=number,
                    option_groups=[_option_group(g, i) for i, g in enumerate(dish.option_groups, 1)],
                )
            )
    return restaurant


async def seed_person(unit: Unit, person: demo_data.DemoPerson, places: dict[tuple[str, str], Quarter]) -> Account:
    now = unit.now()
    account = Account(phone=person.phone, name=person.name, language=person.language, created_at=now, roles=[])
    account.roles.append(Role(role=person.role))
    unit.session.add(account)
    await unit.session.flush()
    home = places.get((person.city, person.quarter)) if person.quarter else None
    if person.role == "customer" and home is not None:
        unit.session.add(
            Address(
                account_id=account.id, city=person.city, quarter_id=home.id, quarter_text=home.name,
                landmark=person.landmark or "", lat=home.lat, lon=home.lon, created_at=now, last_used_at=now,
            )
        )
    if person.role == "driver":
        unit.session.add(
            Driver(
                account_id=account.id, city=person.city, zone=list(person.zone),
                home_quarter_id=home.id if home else None, online=False, updated_at=now,
            )
        )
    if second_factor.holds_power([person.role]):
        await second_factor.enrol_confirmed(unit, account.id, demo_data.DEMO_TOTP_SECRET)
    return account


async def seed_demo(db: Database) -> bool:
    """Seeds an empty database; returns False, touching nothing, when restaurants already exist."""
    async with db.unit() as unit:
        if await unit.session.scalar(select(func.count(Restaurant.id))):
            return False
        places = await seed_quarters(unit)
        for demo in demo_data.RESTAURANTS:
            restaurant = await seed_restaurant(unit, demo, places[(demo.city, demo.quarter)])
            for phone, role in ((demo.phone, "owner"), (demo.backup_phone, "staff")):
                if phone:
                    account = Account(phone=phone, name=demo.name, language="fr", created_at=unit.now(), roles=[])
                    account.roles.append(Role(role=role, restaurant_id=restaurant.id))
                    unit.session.add(account)
        for person in demo_data.PEOPLE:
            await seed_person(unit, person, places)
        await seed_promotions(unit)
    return True


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


async def seed_promotions(unit: Unit) -> None:
    """The demo's promo codes and offers (`demo_data.PROMO_CODES`, `OFFERS`)."""
    await unit.session.flush()
    ids = dict((await unit.session.execute(select(Restaurant.slug, Restaurant.id))).all())
    tz = ZoneInfo(DEMO_TIMEZONE)
    for c in demo_data.PROMO_CODES:
        ends = datetime.combine(date.fromisoformat(c.ends), time(0), tz).astimezone(timezone.utc) if c.ends else None
        unit.session.add(PromoCode(
            code=c.code, restaurant_id=ids[c.restaurant] if c.restaurant else None, kind=c.kind, value=c.value,
            min_subtotal_xaf=c.min_subtotal_xaf, starts_at=None, ends_at=ends, first_order_only=c.first_order_only,
            per_customer_limit=c.per_customer_limit, total_limit=c.total_limit, uses=0, funded_by=c.funded_by,
            active=True, created_by="demo", created_at=unit.now(),
        ))
    for o in demo_data.OFFERS:
        unit.session.add(RestaurantOffer(
            restaurant_id=ids[o.restaurant], kind=o.kind, value=o.value, days=o.weekdays, starts_minute=_minute(o.starts),
            ends_minute=_minute(o.ends), valid_from=None, valid_until=None, min_subtotal_xaf=o.min_subtotal_xaf,
            active=True, created_at=unit.now(),
        ))
