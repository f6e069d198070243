"""The catalog's version: bumped by the commit of any change to what the catalog shows, whoever
makes it, and read by every process's snapshot to know it is old."""
from sqlalchemy import select, update

from core.catalog import CatalogCache
from core.catalog_versions import stored_statement
from core.models import MenuItem, Restaurant
from core.use_cases import upkeep
from tests import demo


async def version(db) -> int:
    async with db.unit() as unit:
        return await unit.session.scalar(stored_statement())


async def test_a_dish_sold_out_hours_replaced_or_a_bulk_update_each_bump_the_version(db):
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        item = await demo.dish(unit, restaurant.id, with_options=False)
    start = await version(db)
    await upkeep.change_dish(db, restaurant.id, item.id, actor="test", available=False)
    assert await version(db) == start + 1
    await upkeep.set_hours(db, restaurant.id, [upkeep.Span(0, 600, 1200)], actor="test", as_given=[])
    assert await version(db) == start + 2
    async with db.unit() as unit:
        await unit.session.execute(update(MenuItem).where(MenuItem.id == item.id).values(price_xaf=999))
    assert await version(db) == start + 3


async def test_orders_counted_a_read_or_a_rolled_back_change_leave_it_alone(db):
    start = await version(db)
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        restaurant.completed_orders += 1  # every delivery does this: no screen shows it
    async with db.unit() as unit:
        await unit.session.scalars(select(Restaurant))
    try:
        async with db.unit() as unit:
            (await demo.restaurant(unit)).paused = True
            raise RuntimeError("changed my mind")
    except RuntimeError:
        pass
    assert await version(db) == start


async def test_a_snapshot_in_another_process_reloads_when_the_version_moved(db, database_url):
    elsewhere = CatalogCache(db)  # another web process's cache: no listener of this database tells it
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        item = await demo.dish(unit, restaurant.id, with_options=False)
    before = await elsewhere.get()
    assert before.dish(item.id).available
    assert not await elsewhere.check()  # nothing changed: one small read, no reload
    await upkeep.change_dish(db, restaurant.id, item.id, actor="test", available=False)
    assert (await elsewhere.get()) is before  # within its lifetime, the snapshot would have served on
    assert await elsewhere.check()
    assert not (await elsewhere.get()).dish(item.id).available
