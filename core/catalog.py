"""Browsing: a read-only snapshot of restaurants, menus and quarters that hops read from memory.

A USSD hop must answer in milliseconds, so browsing never waits on the database: the
snapshot is loaded once and reloaded when the catalog changes, or after CATALOG_TTL_S at the
latest. A change committed by this process drops its snapshot at once (`Database`'s catalog
listeners); one committed by another process bumps the catalog's version in the database
(`core.catalog_versions`), which `CatalogCache.watch` reads every few seconds, and a Redis
announcement, when configured, makes it read at once. The reload then happens off the hop
path. Placing an order re-reads everything from the database, so a snapshot a few seconds old
can at worst make the last step refuse a dish just sold out. While the database cannot be
read, the last snapshot goes on serving: browsing survives an outage, and only the steps that
need the database fail. Archived dishes and categories (deleted, but named by past orders)
are not in it.
"""
import asyncio
import itertools
import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core import catalog_versions, quarters
from core.db import Database, Unit
from core.errors import NotFound
from core.hours import is_open_at
from core.models import MenuCategory, MenuItem, OptionGroup, Quarter, Restaurant, RestaurantOffer
from core.sealing import blind

log = logging.getLogger(__name__)
CATALOG_TTL_S = 15.0
RELOAD_RETRY_S = 2.0  # after a failed reload, the stale snapshot serves this long before the next try
CHECK_EVERY_S = 2.0  # how often a process reads the catalog's version


@dataclass(frozen=True)
class Listing:
    restaurant: Restaurant
    is_open: bool
    distance_km: float | None  # straight line from the customer's quarter, when known


def accepts_orders(restaurant: Restaurant, at: datetime, tz: str) -> bool:
    return restaurant.status == "approved" and not restaurant.paused and is_open_at(restaurant.hours, at, tz)


_versions = itertools.count(1)


class Catalog:
    """Restaurants, categories, dishes and quarters as they were at `loaded_at`, detached.

    `version` tells snapshots apart (each load gets the next number), so what was worked out
    from one snapshot (a rendered list) can be kept until the next one replaces it.
    """

    def __init__(self, restaurants, categories, items, quarter_rows, offers=()) -> None:
        self.version = next(_versions)
        self.offers_of: dict[int, list[RestaurantOffer]] = {}  # active offers, whether on now or not
        for offer in sorted(offers, key=lambda o: o.id):
            self.offers_of.setdefault(offer.restaurant_id, []).append(offer)
        self.restaurants: dict[int, Restaurant] = {r.id: r for r in restaurants}
        self.categories_of: dict[int, list[MenuCategory]] = {}
        holding = {i.category_id for i in items}  # a category shows once it holds a dish
        for c in sorted(categories, key=lambda c: c.position):
            if c.id in holding:
                self.categories_of.setdefault(c.restaurant_id, []).append(c)
        self.category: dict[int, MenuCategory] = {c.id: c for c in categories}
        self.items: dict[int, MenuItem] = {i.id: i for i in items}
        self.dishes_of: dict[int, list[MenuItem]] = {}
        for i in sorted(items, key=lambda i: i.position):
            self.dishes_of.setdefault(i.restaurant_id, []).append(i)
        self.quarters: dict[int, Quarter] = {q.id: q for q in quarter_rows}
        self.quarter_ids = {(q.city, q.name): q.id for q in quarter_rows}
        self.gazetteer = quarters.Gazetteer(
            quarters.Quarter(
                city=q.city, name=q.name, arrondissement=q.arrondissement, lat=q.lat, lon=q.lon,
                aliases=tuple(a for a in q.aliases.split("|") if a), source=q.source,
            )
            for q in quarter_rows
        )

    @classmethod
    async def load(cls, unit: Unit) -> "Catalog":
        session = unit.session
        restaurants = list(await session.scalars(select(Restaurant)))
        categories = list(await session.scalars(select(MenuCategory).where(MenuCategory.archived_at.is_(None))))
        items = list(
            await session.scalars(
                select(MenuItem).where(MenuItem.archived_at.is_(None))
                .options(selectinload(MenuItem.option_groups).selectinload(OptionGroup.options))
            )
        )
        quarter_rows = list(await session.scalars(select(Quarter)))
        offers = list(await session.scalars(select(RestaurantOffer).where(RestaurantOffer.active.is_(True))))
        return cls(restaurants, categories, items, quarter_rows, offers)

    def cities(self) -> list[str]:
        return sorted({r.city for r in self.restaurants.values() if r.status == "approved"})

    def restaurants_in(
        self, city: str, *, at: datetime, tz: str, near: Quarter | None = None, category: str | None = None
    ) -> list[Listing]:
        """Approved restaurants of a city: open now first, then nearest to `near`, then by name.

        `category` keeps those whose menu has a category of that name (either language).
        """
        wanted = category.strip().lower() if category else None
        listings = []
        for r in self.restaurants.values():
            if r.city != city or r.status != "approved":
                continue
            if wanted and not any(wanted in (c.name_en.lower(), c.name_fr.lower()) for c in self.categories(r.id)):
                continue
            distance = quarters.distance_km(near.lat, near.lon, r.lat, r.lon) if near is not None else None
            listings.append(Listing(r, accepts_orders(r, at, tz), distance))
        listings.sort(key=lambda l: (not l.is_open, l.distance_km or 0.0, l.restaurant.name))
        return listings

    def restaurant(self, restaurant_id: int | None) -> Restaurant:
        found = self.restaurants.get(restaurant_id or 0)
        if found is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        return found

    def offers(self, restaurant_id: int | None) -> list[RestaurantOffer]:
        return self.offers_of.get(restaurant_id or 0, [])

    def categories(self, restaurant_id: int) -> list[MenuCategory]:
        return self.categories_of.get(restaurant_id, [])

    def category_count(self, restaurant_id: int | None) -> int:
        return len(self.categories_of.get(restaurant_id or 0, []))

    def option_group_count(self, item_id: int | None) -> int:
        item = self.items.get(item_id or 0)
        return len(item.option_groups) if item is not None else 0

    def dishes(self, restaurant_id: int, category_id: int | None = None) -> list[MenuItem]:
        """A restaurant's dishes in menu order (sold-out ones included: callers mark them)."""
        dishes = self.dishes_of.get(restaurant_id, [])
        return dishes if category_id is None else [d for d in dishes if d.category_id == category_id]

    def dish(self, item_id: int | None, restaurant_id: int | None = None) -> MenuItem:
        item = self.items.get(item_id or 0)
        if item is None or (restaurant_id is not None and item.restaurant_id != restaurant_id):
            raise NotFound(f"no dish {item_id}")
        return item

    def quarter(self, quarter_id: int | None) -> Quarter | None:
        return self.quarters.get(quarter_id) if quarter_id else None


class CatalogCache:
    """Holds the current snapshot; one reload at a time. While one runs, callers that have a
    snapshot keep it (stale by seconds) rather than queue behind the reload; only a first
    load, and a reload after this process's own change, are waited for. A failed reload keeps the last snapshot and is tried again after
    RELOAD_RETRY_S.

    Ask for it before opening a unit of work: a reload opens one of its own, and SQLite has
    a single connection.
    """

    def __init__(self, db: Database, ttl_s: float = CATALOG_TTL_S, clock=time.monotonic) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self.clock = clock
        self.catalog: Catalog | None = None
        self.loaded_at = 0.0
        self.fresh_until = 0.0  # the snapshot is reloaded once this passes
        self.failing_since: float | None = None
        self.lock = asyncio.Lock()
        self.loaded_version: int | None = None  # the catalog's stored version the snapshot was read at
        self.changes = 0  # this process's own changes, counted by invalidate
        self.loaded_for = 0  # how many of them the snapshot was loaded after
        self.nudged = asyncio.Event()  # another process announced a change: check now

    def invalidate(self) -> None:
        """This process changed the catalog: the next read waits for a snapshot loaded after it,
        so a change is seen at once by whoever made it (the old snapshot stays as the fallback
        should the reload fail)."""
        self.changes += 1

    async def get(self) -> Catalog:
        known = self.loaded_for == self.changes
        if self.catalog is not None and known and (self.clock() < self.fresh_until or self.lock.locked()):
            return self.catalog
        async with self.lock:
            if self.catalog is None or self.loaded_for != self.changes or self.clock() >= self.fresh_until:
                await self._reload()
        return self.catalog

    def nudge(self) -> None:
        """Another process says it changed the catalog: `watch` checks the version now."""
        self.nudged.set()

    async def check(self) -> bool:
        """Reloads when the catalog's stored version is not the snapshot's (one small read);
        True when it reloaded. A database that cannot be read leaves the snapshot serving."""
        if self.catalog is None:
            return False
        try:
            async with self.db.unit() as unit:
                row = await unit.first_row(catalog_versions.stored_statement())
        except Exception as exc:  # the outage shows where the database is needed; browsing goes on
            log.debug("catalog version unreadable", extra={"fields": {"error": repr(exc)[:240]}})
            return False
        if row is None or row[0] == self.loaded_version:
            return False
        async with self.lock:  # meanwhile hops go on with the snapshot they have
            if row[0] != self.loaded_version:
                await self._reload()
        return True

    async def watch(self, every_s: float = CHECK_EVERY_S) -> None:
        """Checks the version every `every_s`, and at once when nudged; runs until cancelled."""
        while True:
            try:
                await asyncio.wait_for(self.nudged.wait(), every_s)
            except TimeoutError:
                pass
            self.nudged.clear()
            await self.check()

    async def _reload(self) -> None:
        changes = self.changes
        try:
            async with self.db.unit() as unit:
                # The version first: a change committed between the two reads is loaded now
                # and seen as new at the next check, never missed.
                version = await unit.session.scalar(catalog_versions.stored_statement())
                catalog = await Catalog.load(unit)
        except Exception as exc:
            if self.catalog is None:
                raise
            self.loaded_for = changes  # the database away: the last snapshot serves, retried below
            if self.failing_since is None:
                self.failing_since = self.clock()
                log.warning("catalog reload failed: serving the last snapshot", extra={"fields": {
                    "error": repr(exc)[:240], "snapshot_age_s": round(self.clock() - self.loaded_at, 1),
                }})
            self.fresh_until = self.clock() + RELOAD_RETRY_S
            return
        if self.failing_since is not None:
            log.warning("catalog reloaded after failures", extra={"fields": {"failing_s": round(self.clock() - self.failing_since, 1)}})
            self.failing_since = None
        self.catalog, self.loaded_at, self.loaded_version, self.loaded_for = catalog, self.clock(), version, changes
        self.fresh_until = self.loaded_at + self.ttl_s


async def restaurant(unit: Unit, restaurant_id: int) -> Restaurant:
    found = await unit.session.get(Restaurant, restaurant_id)
    if found is None:
        raise NotFound(f"no restaurant {restaurant_id}")
    return found


async def restaurant_by_phone(unit: Unit, phone: str) -> Restaurant | None:
    """The restaurant whose console (main or backup contact) is this number."""
    return await unit.session.scalar(
        select(Restaurant).where((Restaurant.phone_key == blind(phone)) | (Restaurant.backup_phone_key == blind(phone))).limit(1)
    )
