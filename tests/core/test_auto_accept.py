"""AUTO ON: an order reaching the restaurant is accepted at once, by the same code as ACCEPT, in
the restaurant's usual minutes; the customer is told as for a manual accept, the audit says so."""
import pytest
from sqlalchemy import select

from core import payments
from core.catalog import Catalog
from core.errors import BadInput
from core.models import AuditEvent, DeliveryJob, OutboxMessage, Payment
from core.orders import Destination, LineRequest, Placement, order_by_code
from core.placing import place_order
from core.use_cases import upkeep
from tests import demo
from tests.payments import placed_order


async def _restaurant_id(db) -> int:
    async with db.unit() as unit:
        return (await demo.restaurant(unit)).id


async def _messages(db, order_id: int) -> dict[str, str]:
    async with db.unit() as unit:
        rows = await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.order_id == order_id))
        return {m.kind: m.body for m in rows}


async def test_a_cash_order_is_accepted_as_it_is_placed_when_auto_is_on(db):
    restaurant_id = await _restaurant_id(db)
    auto = await upkeep.auto_accept(db, restaurant_id, True, actor="test", minutes=25)
    assert (auto.on, auto.minutes) == (True, 25)
    code = await placed_order(db, method="cash")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert (order.status, order.ready_in_minutes) == ("ACCEPTED", 25)
        assert await unit.session.scalar(select(DeliveryJob).where(DeliveryJob.order_id == order.id)) is not None
        event = await unit.session.scalar(select(AuditEvent).where(
            AuditEvent.entity == "order", AuditEvent.entity_ref == code, AuditEvent.trigger == "accept"))
        assert event.actor == "system:auto_accept" and event.data == {"minutes": 25, "automatic": True}
    told = await _messages(db, order.id)
    assert "25 min" in told["order.accepted"]
    assert "(AUTO)" in told["order.new_for_restaurant"] and f"PRET {code}" in told["order.new_for_restaurant"]


async def test_a_mobile_money_order_is_accepted_when_its_payment_comes_in(db):
    await upkeep.auto_accept(db, await _restaurant_id(db), True, actor="test")
    code = await placed_order(db, method="mtn")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert order.status == "AWAITING_PAYMENT"
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        await payments.requested(unit, payment, "mtn", payments.ProviderAnswer("pending", "mtn-ref"))
        await payments.apply_answer(unit, payment, payments.ProviderAnswer("successful", "mtn-ref"), actor="provider:mtn")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert (order.status, order.ready_in_minutes) == ("ACCEPTED", 20)  # the usual minutes, unchanged
        assert order.reached_restaurant_at is not None
    assert "order.accepted" in await _messages(db, order.id)


async def test_with_auto_off_an_order_waits_for_the_restaurants_answer(db):
    restaurant_id = await _restaurant_id(db)
    await upkeep.auto_accept(db, restaurant_id, True, actor="test")
    off = await upkeep.auto_accept(db, restaurant_id, False, actor="test")
    assert not off.on
    code = await placed_order(db, method="cash")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert order.status == "PENDING_RESTAURANT"
    told = await _messages(db, order.id)
    assert f"OUI {code}" in told["order.new_for_restaurant"] and "order.accepted" not in told


async def test_a_snapshot_taken_before_auto_was_switched_on_still_accepts_at_once(db):
    restaurant_id = await _restaurant_id(db)
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
    await upkeep.auto_accept(db, restaurant_id, True, actor="test")
    async with db.unit() as unit:
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        item = await demo.dish(unit, restaurant_id, with_options=False)
        placed = await place_order(unit, Placement(
            customer=customer, restaurant_id=restaurant_id, lines=[LineRequest(item.id, 1)], payment_method="cash",
            channel="sms", language="fr", destination=Destination(city="Yaounde", quarter_text="Bastos", lat=3.89, lon=11.51),
        ), tz="Africa/Douala", catalog=catalog)
        assert placed.status == "ACCEPTED"


@pytest.mark.parametrize("minutes", [0, 4, 181, 1000])
async def test_auto_minutes_out_of_bounds_are_refused(db, minutes):
    with pytest.raises(BadInput):
        await upkeep.auto_accept(db, await _restaurant_id(db), True, actor="test", minutes=minutes)
