"""Pricing, placing, cancelling and accepting orders through the core services."""
import asyncio

import pytest
from sqlalchemy import func, select

from core import order_changes
from core.errors import BadInput, Conflict, Forbidden, IllegalTransition
from core.models import AuditEvent, OutboxMessage
from core.orders import Destination, LineRequest, Placement, checked_quote, order_by_code, quote
from core.placing import place_order
from tests import demo

TZ = "Africa/Douala"


def bastos() -> Destination:
    return Destination(city="Yaounde", quarter_text="Bastos", landmark="Face Total", lat=3.89237, lon=11.51148)


async def placed(db, *, method: str = "cash", destination: Destination | None = None, origin_key: str | None = None):
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        item = await demo.dish(unit, restaurant.id, with_options=False)
        order = await place_order(
            unit,
            Placement(customer=customer, restaurant_id=restaurant.id, lines=[LineRequest(item.id, 2)],
                      payment_method=method, channel="ussd", language="fr",
                      destination=destination or bastos(), origin_key=origin_key),
            tz=TZ,
        )
        return order.code


async def test_quote_prices_options_and_the_delivery_fee(db):
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        item = await demo.dish(unit, restaurant.id, with_options=True)
        groups = item.option_groups
        chosen = [g.options[-1] for g in groups if g.min_choices > 0]
        extra = next((g.options[0] for g in groups if g.min_choices == 0 and g.options[0].price_delta_xaf), None)
        if extra:
            chosen.append(extra)
        priced = await quote(unit, restaurant.id, [LineRequest(item.id, 3, tuple(o.id for o in chosen))], bastos())
        unit_price = item.price_xaf + sum(o.price_delta_xaf for o in chosen)
        assert priced.subtotal_xaf == 3 * unit_price
        assert priced.delivery_fee_xaf >= 500 and priced.delivery_fee_xaf % 100 == 0
        assert priced.total_xaf == priced.subtotal_xaf + priced.delivery_fee_xaf


async def test_a_required_size_left_out_is_refused(db):
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        item = await demo.dish(unit, restaurant.id, with_options=True)
        if not any(g.min_choices for g in item.option_groups):
            pytest.skip("first dish with options has no required group")
        with pytest.raises(BadInput):
            await quote(unit, restaurant.id, [LineRequest(item.id, 1, ())], None)


async def test_a_cash_order_goes_to_the_restaurant_with_its_sms_in_the_same_transaction(db):
    code = await placed(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await demo.restaurant(unit)
        assert order.status == "PENDING_RESTAURANT"
        assert order.reached_restaurant_at is not None
        sms = (await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.order_id == order.id))).all()
        assert [m.to_phone for m in sms] == [restaurant.phone]
        assert f"OUI {code}" in sms[0].body  # the restaurant's console speaks French
        trail = (await unit.session.scalars(select(AuditEvent).where(AuditEvent.entity_ref == code))).all()
        assert [(e.trigger, e.from_state, e.to_state) for e in trail] == [("place", "DRAFT", "PENDING_RESTAURANT")]


async def test_a_mobile_money_order_waits_for_payment_and_tells_nobody_yet(db):
    code = await placed(db, method="mtn")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert order.status == "AWAITING_PAYMENT"
        assert await unit.session.scalar(select(func.count(OutboxMessage.id))) == 0


async def test_the_same_origin_places_one_order(db):
    first = await placed(db, origin_key="ussd:ATUid_1")
    again = await placed(db, origin_key="ussd:ATUid_1")
    assert first == again


async def test_a_closed_restaurant_takes_no_order(db, clock):
    clock.now = clock.now.replace(hour=2)  # 03:00 in Douala
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit, "saveurs-essos")
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        item = await demo.dish(unit, restaurant.id, with_options=False)
        with pytest.raises(BadInput, match="closed"):
            await place_order(
                unit,
                Placement(customer, restaurant.id, [LineRequest(item.id, 1)], "cash", "ussd", "fr", bastos()),
                tz=TZ,
            )


async def test_the_customer_cancels_before_acceptance_and_the_restaurant_is_told(db):
    code = await placed(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        await order_changes.cancel_by_customer(unit, order, customer, "changed my mind")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert (order.status, order.cancelled_by) == ("CANCELLED", "customer")
        kinds = (await unit.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.order_id == order.id))).all()
        assert kinds == ["order.new_for_restaurant", "order.cancelled_for_restaurant"]


async def test_after_acceptance_the_customer_can_no_longer_cancel(db):
    code = await placed(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await demo.restaurant(unit)
        await order_changes.accept(unit, order, restaurant, actor="restaurant:test", minutes=20)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        with pytest.raises(IllegalTransition):
            await order_changes.cancel_by_customer(unit, order, customer)


async def test_a_restaurant_cannot_accept_another_restaurants_order(db):
    code = await placed(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        other = await demo.restaurant(unit, "saveurs-essos")
        with pytest.raises(Forbidden):
            await order_changes.accept(unit, order, other, actor="restaurant:other")


async def test_two_simultaneous_accepts_only_one_wins(db):
    """Both read the order pending, both accept; the version check lets exactly one commit.

    On PostgreSQL the two transactions really overlap. SQLite has one connection, so there
    the second runs after the first and is refused by the order machine instead.
    """
    code = await placed(db)
    ready = asyncio.Barrier(2 if db.is_postgres else 1)

    async def accept() -> str:
        try:
            async with db.unit() as unit:
                order = await order_by_code(unit, code)
                restaurant = await demo.restaurant(unit)
                await ready.wait()
                await order_changes.accept(unit, order, restaurant, actor="restaurant:race", minutes=15)
            return "won"
        except Conflict:
            return "lost: changed meanwhile"
        except IllegalTransition:
            return "lost: already accepted"

    results = sorted(await asyncio.gather(accept(), accept()))
    loser = "lost: changed meanwhile" if db.is_postgres else "lost: already accepted"
    assert results == [loser, "won"]
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        accepted = await unit.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.entity_ref == code, AuditEvent.trigger == "accept")
        )
        assert order.status == "ACCEPTED" and accepted == 1


async def _with_snapshot(db, change) -> tuple[int, int, int]:
    """Places one order priced through a catalog snapshot taken before `change(unit, item, option)`
    ran; returns (snapshot price, charged unit price, database price, whether the snapshot served)."""
    from core.catalog import Catalog
    from core.models import MenuItem

    async with db.unit() as unit:
        snapshot = await Catalog.load(unit)
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        item = await demo.dish(unit, restaurant.id, with_options=True)
        option = next(o for g in item.option_groups for o in g.options)
        lines = [LineRequest(item.id, 1, tuple(g.options[0].id for g in item.option_groups if g.min_choices))]
        await change(unit, item, option)
    async with db.unit() as unit:
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        placement = Placement(customer=customer, restaurant_id=restaurant.id, lines=lines, payment_method="cash",
                              channel="app", language="fr", destination=bastos())
        served = await checked_quote(unit, snapshot, placement) is not None
        order = await place_order(unit, placement, tz=TZ, catalog=snapshot)
        stored = await unit.session.get(MenuItem, item.id)
        charged = order.lines[0].unit_price_xaf - sum(o["price_delta_xaf"] for o in order.lines[0].options)
        return snapshot.items[item.id].price_xaf, charged, stored.price_xaf, served


async def test_a_price_changed_since_the_snapshot_is_charged_as_the_database_says(db):
    async def raise_price(unit, item, option):
        item.price_xaf += 500

    was, charged, now, served = await _with_snapshot(db, raise_price)
    assert charged == now == was + 500 and not served


async def test_a_dish_sold_out_since_the_snapshot_cannot_be_ordered(db):
    async def sell_out(unit, item, option):
        item.available = False

    with pytest.raises(BadInput, match="sold out"):
        await _with_snapshot(db, sell_out)


async def test_an_unchanged_snapshot_prices_the_order_as_the_database_would(db):
    async def nothing(unit, item, option):
        return None

    was, charged, now, served = await _with_snapshot(db, nothing)
    assert charged == was == now and served


async def test_an_option_made_unavailable_since_the_snapshot_is_refused(db):
    async def drop_option(unit, item, option):
        for group in item.option_groups:
            if group.min_choices:
                group.options[0].available = False

    with pytest.raises(BadInput, match="not available"):
        await _with_snapshot(db, drop_option)


async def test_a_dish_removed_since_the_snapshot_is_not_priced_from_it(db):
    async def remove(unit, item, option):
        await unit.session.delete(item)

    with pytest.raises(BadInput, match="not on the menu"):
        await _with_snapshot(db, remove)
