"""What neighbours order now: the quarter, the hour either side, the weeks looked back, one query
and the short cache in front of it."""
import pytest
from sqlalchemy import select

from core.catalog import Catalog
from core.errors import BadInput, NotFound
from core.models import Quarter
from core.orders import Destination, LineRequest
from core.popular import PopularCache
from core.use_cases import favourites, ordering, popular
from tests import demo

TERMS = ordering.Terms(tz="Africa/Douala")
TZ = "Africa/Douala"


async def _setting(db):
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
        restaurant = await demo.restaurant(unit)  # Chez Maman Ngo, in Bastos
        customer = await demo.account(unit, demo.CUSTOMER_EN.phone)
        bastos = await unit.session.scalar(select(Quarter.id).where(Quarter.name == "Bastos"))
        essos = await unit.session.scalar(select(Quarter.id).where(Quarter.name == "Essos"))
    dishes = [d for d in catalog.dishes(restaurant.id) if d.available and not d.option_groups]
    return catalog, restaurant, customer, dishes, bastos, essos


def _to(quarter_id: int, name: str) -> Destination:
    return Destination(city="Yaounde", quarter_text=name, landmark="Carrefour", quarter_id=quarter_id, lat=3.87, lon=11.52)


async def _order(db, catalog, restaurant, customer, dish, destination, quantity=1) -> str:
    basket = ordering.Basket(restaurant.id, (LineRequest(dish.id, quantity),), destination)
    placed = await ordering.place(db, catalog, basket, orderer=ordering.Orderer(account_id=customer.id), channel="app",
                                  terms=TERMS, remember_address=False)
    return placed.order.code


async def test_orders_of_the_quarter_around_this_hour_rank_the_dishes(db, clock):
    catalog, restaurant, customer, dishes, bastos, essos = await _setting(db)
    to_bastos, to_essos = _to(bastos, "Bastos"), _to(essos, "Essos")
    first, second, third = dishes[:3]
    await _order(db, catalog, restaurant, customer, first, to_bastos)
    await _order(db, catalog, restaurant, customer, first, to_bastos)
    await _order(db, catalog, restaurant, customer, second, to_bastos, quantity=5)
    await _order(db, catalog, restaurant, customer, second, None)  # collected at the restaurant, in Bastos
    await _order(db, catalog, restaurant, customer, third, to_essos)  # another quarter
    clock.advance(hours=1)  # 13:30 local: 12:30 is an hour away, still counted
    found = await popular.popular(db, PopularCache(), bastos, tz=TZ)
    assert found.hour == 13
    # as many orders each: more portions first
    assert [(d.item_id, d.orders, d.portions) for d in found.dishes] == [(second.id, 2, 6), (first.id, 2, 2)]
    clock.advance(hours=2)  # 15:30: the lunch orders are out of the window
    assert (await popular.popular(db, PopularCache(), bastos, tz=TZ)).dishes == ()


async def test_other_days_count_within_four_weeks_and_cancelled_orders_never(db, clock):
    catalog, restaurant, customer, dishes, bastos, _ = await _setting(db)
    to_bastos = _to(bastos, "Bastos")
    kept = await _order(db, catalog, restaurant, customer, dishes[0], to_bastos)
    cancelled = await _order(db, catalog, restaurant, customer, dishes[1], to_bastos)
    await ordering.cancel(db, cancelled, account_id=customer.id, reason="changed my mind")
    clock.advance(days=27)
    assert [d.item_id for d in (await popular.popular(db, PopularCache(), bastos, tz=TZ)).dishes] == [dishes[0].id]
    clock.advance(days=2)
    assert (await popular.popular(db, PopularCache(), bastos, tz=TZ)).dishes == ()
    assert kept


async def test_the_cache_answers_without_the_database_until_it_expires(db, clock):
    catalog, restaurant, customer, dishes, bastos, _ = await _setting(db)
    to_bastos = _to(bastos, "Bastos")
    await _order(db, catalog, restaurant, customer, dishes[0], to_bastos)
    now = [0.0]
    cache = PopularCache(ttl_s=300, clock=lambda: now[0])
    first = await popular.popular(db, cache, bastos, tz=TZ)
    made = [0]
    sessions = db.sessions
    db.sessions = lambda: (made.__setitem__(0, made[0] + 1), sessions())[1]
    await _order(db, catalog, restaurant, customer, dishes[1], to_bastos)
    made[0] = 0
    assert await popular.popular(db, cache, bastos, tz=TZ) == first and made[0] == 0
    now[0] = 301
    assert len((await popular.popular(db, cache, bastos, tz=TZ)).dishes) == 2 and made[0] == 1


async def test_a_quarter_is_named_as_people_type_it(db):
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
    assert popular.quarter_named(catalog, "biyemasi").name == "Biyem-Assi"
    with pytest.raises(BadInput):
        popular.quarter_named(catalog, "Nowhereville")


async def test_favourites_are_capped_and_only_what_is_on_a_menu_may_be_marked(db):
    catalog, restaurant, customer, dishes, _, _ = await _setting(db)
    with pytest.raises(NotFound):
        await favourites.mark(db, catalog, customer.id, item_id=987654)
    others = [r for r in catalog.restaurants.values() if r.status == "approved"]
    marked = 0
    for r in others:
        for item in catalog.dishes(r.id):
            if marked == favourites.MAX_FAVOURITES:
                break
            await favourites.mark(db, catalog, customer.id, item_id=item.id)
            marked += 1
    with pytest.raises(BadInput):
        await favourites.mark(db, catalog, customer.id, restaurant_id=restaurant.id)
    assert len(await favourites.favourites_of(db, customer.id)) == favourites.MAX_FAVOURITES
