"""The payment jobs' decisions with scripted providers: confirm, decline, expire, fall over, refund."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from channels.payments.jobs import PaymentJobs
from channels.payments.router import PaymentRouter
from chopbar.providers import PAYMENT_ROUTES
from core import ledger, order_changes
from core.models import OutboxMessage, Payment
from core.orders import order_by_code
from tests import demo
from tests.payments import FakeProvider, placed_order


async def no_sleep(_):
    return None


@pytest.fixture
def providers():
    return {"mtn": FakeProvider("mtn"), "campay": FakeProvider("campay"), "stripe": FakeProvider("stripe")}


@pytest.fixture
def jobs(db, providers):
    return PaymentJobs(db, PaymentRouter(providers, routes=PAYMENT_ROUTES, sleep=no_sleep))


async def state(db, code):
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        kinds = list(await unit.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.order_id == order.id)))
        return order, payment, kinds


async def run_until_quiet(jobs, clock, seconds: float = 0):
    if seconds:
        clock.advance(seconds=seconds)
    while await jobs.run():
        pass


async def test_a_confirmed_momo_payment_sends_the_order_to_the_restaurant(db, jobs, providers, clock):
    code = await placed_order(db)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("AWAITING_PAYMENT", "CREATED") and kinds == []
    await run_until_quiet(jobs, clock)
    order, payment, _ = await state(db, code)
    assert (order.status, payment.status, payment.provider) == ("AWAITING_PAYMENT", "PENDING", "mtn")
    providers["mtn"].script("check", "successful")
    await run_until_quiet(jobs, clock, seconds=3)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")
    assert "order.new_for_restaurant" in kinds and "payment.received" in kinds
    async with db.unit() as unit:
        assert await ledger.balance(unit, "provider:mtn") == payment.amount_xaf
        assert await ledger.balance(unit, f"escrow:order:{code}") == -payment.amount_xaf
        assert await ledger.is_balanced(unit)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        assert customer.loyalty_points == payment.amount_xaf // 100


async def test_a_declined_payment_offers_a_second_chance_then_cancels_the_order_when_it_lapses(db, jobs, providers, clock):
    code = await placed_order(db)
    providers["mtn"].script("check", "failed")
    await run_until_quiet(jobs, clock)
    await run_until_quiet(jobs, clock, seconds=3)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("AWAITING_PAYMENT", "FAILED")
    assert order.payment_retry_until == clock.now + timedelta(seconds=jobs.retry.window_s)
    assert kinds == ["payment.retry_offered"]
    await run_until_quiet(jobs, clock, seconds=jobs.retry.window_s - 1)
    assert (await state(db, code))[0].status == "AWAITING_PAYMENT"
    await run_until_quiet(jobs, clock, seconds=1)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status, order.cancelled_by) == ("CANCELLED", "FAILED", "payment")
    assert kinds == ["payment.retry_offered", "payment.failed"]


async def test_an_unapproved_payment_expires_and_a_late_success_is_refunded(db, jobs, providers, clock):
    code = await placed_order(db)
    await run_until_quiet(jobs, clock)
    await run_until_quiet(jobs, clock, seconds=301)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("AWAITING_PAYMENT", "EXPIRED") and kinds == ["payment.retry_offered"]
    await run_until_quiet(jobs, clock, seconds=jobs.retry.window_s)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("CANCELLED", "EXPIRED") and "payment.expired" in kinds
    providers["mtn"].script("check", "successful")
    await run_until_quiet(jobs, clock, seconds=40)
    order, payment, kinds = await state(db, code)
    assert payment.status == "REFUNDED" and payment.refunded_xaf == payment.amount_xaf
    assert "payment.late" in kinds and "payment.refunded" in kinds
    async with db.unit() as unit:
        assert await ledger.balance(unit, "provider:mtn") == 0
        assert await ledger.balance(unit, f"escrow:order:{code}") == 0


async def test_a_provider_that_is_down_falls_over_to_another_for_the_same_operator(db, jobs, providers, clock):
    providers["mtn"].script("request", "down")
    code = await placed_order(db)
    await run_until_quiet(jobs, clock)
    _, payment, _ = await state(db, code)
    assert (payment.status, payment.provider) == ("PENDING", "campay")
    assert [c[0] for c in providers["mtn"].calls] == ["request", "request"]  # retried once first


async def test_a_timeout_waits_as_unknown_then_reconciles_by_status(db, jobs, providers, clock):
    providers["mtn"].script("request", "timeout")
    code = await placed_order(db)
    await run_until_quiet(jobs, clock)
    _, payment, _ = await state(db, code)
    assert (payment.status, payment.provider) == ("UNKNOWN", "mtn")
    assert providers["campay"].calls == []  # it may have reached MTN: no second prompt elsewhere
    providers["mtn"].script("check", "successful")
    await run_until_quiet(jobs, clock, seconds=3)
    order, payment, _ = await state(db, code)
    assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")


async def test_a_timeout_that_never_reached_the_provider_is_asked_again(db, jobs, providers, clock):
    providers["mtn"].script("request", "timeout", "down")
    providers["mtn"].script("check", "not_found")
    code = await placed_order(db)
    await run_until_quiet(jobs, clock)
    await run_until_quiet(jobs, clock, seconds=3)
    _, payment, _ = await state(db, code)
    assert (payment.status, payment.provider) == ("PENDING", "campay")


async def test_the_circuit_opens_after_repeated_failures(db, jobs, providers, clock):
    providers["mtn"].script("request", "down")
    for _ in range(3):
        await placed_order(db)
    await run_until_quiet(jobs, clock)
    assert jobs.router.breakers["mtn"].state == "open"
    calls = len(providers["mtn"].calls)
    await placed_order(db)
    await run_until_quiet(jobs, clock)
    assert len(providers["mtn"].calls) == calls  # not called while open


async def test_a_refund_after_rejection_reverses_the_ledger(db, jobs, providers, clock):
    providers["mtn"].script("check", "successful")
    code = await placed_order(db)
    await run_until_quiet(jobs, clock)
    await run_until_quiet(jobs, clock, seconds=3)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await demo.restaurant(unit)
        await order_changes.reject(unit, order, restaurant, actor="restaurant:test", reason="no more ndole")
    await run_until_quiet(jobs, clock)
    order, payment, kinds = await state(db, code)
    assert (order.status, payment.status) == ("REJECTED", "REFUNDED")
    assert "payment.refunded" in kinds
    async with db.unit() as unit:
        assert await ledger.balances(unit, "escrow:") == {f"escrow:order:{code}": 0}
        assert await ledger.balance(unit, "provider:mtn") == 0
        assert await ledger.is_balanced(unit)


async def test_paying_from_another_number_prompts_it_and_tells_both(db, jobs, providers, clock):
    code = await placed_order(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        payment.payer_phone = "+237677123456"
    await run_until_quiet(jobs, clock)
    async with db.unit() as unit:
        to = {m.to_phone: m.kind for m in await unit.session.scalars(select(OutboxMessage))}
    assert to["+237677123456"] == "payment.prompt_other"
    assert to[demo.CUSTOMER_FR.phone] == "payment.prompt_sent"
