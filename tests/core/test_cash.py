"""Cash on delivery: due when ordered, collected by the driver, remitted to Chopbar."""
import pytest
from sqlalchemy import select

from core import ledger, payments
from core.errors import BadInput
from core.models import Payment
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order

DRIVER_ID = 999


async def test_cash_is_due_then_collected_then_remitted(db):
    code = await placed_order(db, method="cash")
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        assert (payment.status, payment.provider) == ("PENDING", "cash")
        await payments.collect_cash(unit, order, DRIVER_ID)
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"cash:driver:{DRIVER_ID}") == order.total_xaf
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        assert customer.loyalty_points == order.total_xaf // 100
        with pytest.raises(BadInput):
            await payments.remit_cash(unit, DRIVER_ID, order.total_xaf + 1)
        await payments.remit_cash(unit, DRIVER_ID, order.total_xaf)
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"cash:driver:{DRIVER_ID}") == 0
        assert await ledger.balance(unit, "provider:cash") == order.total_xaf
        assert await ledger.is_balanced(unit)
