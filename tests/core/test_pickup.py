"""Pickup orders settle when the customer collects them: cash taken at the counter goes in the
restaurant's till, and the held money is split as for a delivery, without the driver's part."""
import pytest
from sqlalchemy import func, select

from core import ledger, payments
from core.drivers import payouts
from core.errors import Forbidden, IllegalTransition
from core.models import LedgerEntry, OutboxMessage, Payment, Restaurant
from core.orders import order_by_code
from core.use_cases import kitchen
from tests import demo
from tests.payments import placed_order


async def _staff(db) -> kitchen.Staff:
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
    return kitchen.Staff(restaurant_ids={restaurant.id}, actor=f"restaurant:{restaurant.id}:test")


async def _paid_by_mtn(db, code: str) -> None:
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        await payments.requested(unit, payment, "mtn", payments.ProviderAnswer("pending", "mtn-ref-1"))
        await payments.apply_answer(unit, payment, payments.ProviderAnswer("successful", "mtn-ref-1"), actor="provider:mtn")


async def _ready(db, code: str, staff: kitchen.Staff) -> None:
    await kitchen.accept(db, code, by=staff, minutes=15)
    await kitchen.mark_ready(db, code, by=staff)


async def _entries(db) -> int:
    async with db.unit() as unit:
        return await unit.session.scalar(select(func.count()).select_from(LedgerEntry))


async def test_a_cash_pickup_collected_puts_the_cash_in_the_till_and_the_restaurant_owes_the_commission(db):
    staff = await _staff(db)
    code = await placed_order(db, method="cash", pickup=True)
    await _ready(db, code, staff)
    async with db.unit() as unit:
        before = (await demo.restaurant(unit)).completed_orders
    done = await kitchen.collect(db, code, by=staff)
    assert (done.order.status, done.already) == ("COMPLETED", False)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await demo.restaurant(unit)
        commission = (order.subtotal_xaf * 10 + 50) // 100  # Maman Ngo is past 500 orders: 10%
        assert order.delivery_fee_xaf == 0 and order.total_xaf == order.subtotal_xaf
        assert await ledger.balance(unit, f"cash:restaurant:{restaurant.id}") == order.total_xaf
        assert await ledger.balance(unit, f"restaurant:{restaurant.id}") == -(order.subtotal_xaf - commission)
        assert await ledger.balance(unit, "platform") == -commission
        assert await ledger.balance(unit, ledger.escrow(order)) == 0
        assert await ledger.is_balanced(unit)
        assert restaurant.completed_orders == before + 1
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        assert payment.status == "SUCCEEDED"
        owed = next(p for p in await payouts(unit) if p.kind == "restaurant" and p.phone == restaurant.phone)
        assert owed.owed_xaf == -commission  # it kept the cash: it owes Chopbar the commission
        told = await unit.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order.collected"))
        assert code in told.body


async def test_a_mobile_money_pickup_collected_releases_the_restaurants_share(db):
    staff = await _staff(db)
    code = await placed_order(db, method="mtn", pickup=True)
    await _paid_by_mtn(db, code)
    await _ready(db, code, staff)
    await kitchen.collect(db, code, by=staff)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await demo.restaurant(unit)
        commission = (order.subtotal_xaf * 10 + 50) // 100
        assert order.status == "COMPLETED"
        assert await ledger.balance(unit, "provider:mtn") == order.total_xaf
        assert await ledger.balance(unit, f"restaurant:{restaurant.id}") == -(order.subtotal_xaf - commission)
        assert await ledger.balance(unit, f"cash:restaurant:{restaurant.id}") == 0
        assert await ledger.balance(unit, ledger.escrow(order)) == 0
        assert await ledger.is_balanced(unit)
        owed = next(p for p in await payouts(unit) if p.kind == "restaurant" and p.phone == restaurant.phone)
        assert owed.owed_xaf == order.subtotal_xaf - commission


async def test_collected_twice_changes_nothing_the_second_time(db):
    staff = await _staff(db)
    code = await placed_order(db, method="cash", pickup=True)
    await _ready(db, code, staff)
    await kitchen.collect(db, code, by=staff)
    entries = await _entries(db)
    again = await kitchen.collect(db, code, by=staff)
    assert (again.already, again.order.status) == (True, "COMPLETED")
    assert await _entries(db) == entries
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"cash:restaurant:{next(iter(staff.restaurant_ids))}") == again.order.total_xaf


async def test_a_delivery_order_cannot_be_collected(db):
    staff = await _staff(db)
    code = await placed_order(db, method="cash")
    await _ready(db, code, staff)
    with pytest.raises(IllegalTransition):
        await kitchen.collect(db, code, by=staff)
    async with db.unit() as unit:
        assert (await order_by_code(unit, code)).status == "READY"
        assert await unit.session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


async def test_a_pickup_not_yet_ready_cannot_be_collected(db):
    staff = await _staff(db)
    code = await placed_order(db, method="cash", pickup=True)
    await kitchen.accept(db, code, by=staff)
    with pytest.raises(IllegalTransition):
        await kitchen.collect(db, code, by=staff)


async def test_another_restaurant_cannot_collect_the_order(db):
    code = await placed_order(db, method="cash", pickup=True)
    staff = await _staff(db)
    await _ready(db, code, staff)
    async with db.unit() as unit:
        other = await unit.session.scalar(select(Restaurant.id).where(Restaurant.id != next(iter(staff.restaurant_ids))))
    with pytest.raises(Forbidden):
        await kitchen.collect(db, code, by=kitchen.Staff(restaurant_ids={other}, actor="restaurant:other"))
