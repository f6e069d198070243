"""A silent restaurant is reminded halfway through its window; at the end the order expires."""
from sqlalchemy import select

from channels.payments.jobs import PaymentJobs
from channels.payments.router import PaymentRouter
from chopbar.providers import PAYMENT_ROUTES
from core.acceptance import remind_and_expire
from core.models import OutboxMessage, Payment
from core.orders import order_by_code
from tests import demo
from tests.payments import FakeProvider, placed_order
from core.sealing import blind

WINDOW = 300


async def kinds_to(db, phone):
    async with db.unit() as unit:
        return list(await unit.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_phone_key == blind(phone)).order_by(OutboxMessage.id)))


async def test_reminder_at_half_the_window_to_both_contacts_once(db, clock):
    code = await placed_order(db, method="cash")
    clock.advance(seconds=WINDOW / 2 - 1)
    async with db.unit() as unit:
        assert await remind_and_expire(unit, WINDOW) == 0
    clock.advance(seconds=2)
    for _ in range(2):
        async with db.unit() as unit:
            await remind_and_expire(unit, WINDOW)
    assert (await kinds_to(db, demo.ALL_DAY_YAOUNDE.phone)).count("order.reminder") == 1
    assert await kinds_to(db, demo.ALL_DAY_YAOUNDE.backup_phone) == ["order.reminder"]
    async with db.unit() as unit:
        assert (await order_by_code(unit, code)).status == "PENDING_RESTAURANT"


async def test_at_the_end_of_the_window_the_order_expires_and_the_customer_is_told(db, clock):
    code = await placed_order(db, method="cash")
    clock.advance(seconds=WINDOW + 1)
    async with db.unit() as unit:
        await remind_and_expire(unit, WINDOW)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        assert (order.status, order.cancelled_by) == ("EXPIRED", "system")
    assert "order.expired" in await kinds_to(db, demo.CUSTOMER_FR.phone)
    assert "order.expired_for_restaurant" in await kinds_to(db, demo.ALL_DAY_YAOUNDE.phone)


async def test_a_paid_order_that_expires_is_refunded(db, clock):
    providers = {"mtn": FakeProvider("mtn", checks=("successful",)), "campay": FakeProvider("campay")}
    jobs = PaymentJobs(db, PaymentRouter(providers, routes=PAYMENT_ROUTES))
    code = await placed_order(db, method="mtn")
    await jobs.run()
    clock.advance(seconds=3)
    await jobs.run()
    clock.advance(seconds=WINDOW + 1)
    async with db.unit() as unit:
        await remind_and_expire(unit, WINDOW)
    await jobs.run()
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        assert (order.status, payment.status) == ("EXPIRED", "REFUNDED")
