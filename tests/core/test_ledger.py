"""The ledger balances whatever happens to orders and payments, and balances follow from it."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from core import ledger, order_changes, payments
from core.errors import ChopbarError
from core.models import LedgerEntry, Payment
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order

STEPS = st.lists(
    st.sampled_from(["succeed", "fail", "expire", "reject", "cancel", "refund", "accept", "replay"]), max_size=8
)


def test_a_movement_that_does_not_sum_to_zero_is_refused():
    with pytest.raises(ledger.Unbalanced):
        ledger.post(None, "bad", [("a", 100), ("b", -99)])
    with pytest.raises(ledger.Unbalanced):
        ledger.post(None, "float", [("a", 1.5), ("b", -1.5)])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(steps=STEPS)
async def test_random_payment_histories_keep_the_ledger_balanced(db, steps):
    code = await placed_order(db)
    for step in steps:
        try:
            async with db.unit() as unit:
                order = await order_by_code(unit, code)
                payment = await payments.payment_for(unit, order)
                restaurant = await demo.restaurant(unit)
                if step in ("succeed", "replay"):
                    await payments.apply_answer(unit, payment, payments.ProviderAnswer("successful"), actor="test")
                elif step == "fail":
                    await payments.apply_answer(unit, payment, payments.ProviderAnswer("failed"), actor="test")
                elif step == "expire":
                    await payments.expire(unit, payment)
                elif step == "reject":
                    await order_changes.reject(unit, order, restaurant, actor="test", reason="closed")
                elif step == "accept":
                    await order_changes.accept(unit, order, restaurant, actor="test")
                elif step == "cancel":
                    customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
                    await order_changes.cancel_by_customer(unit, order, customer)
                elif step == "refund" and payment.refund_due_xaf:
                    await payments.refunded(unit, payment, payment.refund_due_xaf, via="provider")
        except ChopbarError:
            pass  # an illegal step is refused and changes nothing
    async with db.unit() as unit:
        assert await ledger.is_balanced(unit)
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        captured = await unit.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_xaf), 0)).where(
                LedgerEntry.payment_id == payment.id, LedgerEntry.kind == "capture", LedgerEntry.amount_xaf > 0
            )
        )
        assert captured in (0, payment.amount_xaf)  # captured once at most, however often it was said
        held = await ledger.balance(unit, f"escrow:order:{code}")
        assert held == -(captured - payment.refunded_xaf)
        assert payment.refunded_xaf <= captured
