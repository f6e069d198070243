"""The business view: orders, takings and commission per local day, drivers, providers, the USSD funnel."""
from datetime import date

import pytest
from sqlalchemy import select

from core.errors import BadInput
from core.models import Order, Payment
from core.use_cases import business, driving, kitchen
from core.use_cases.business import EndedSession
from tests.core.test_operations import _picked_up, _placed, _staff

TZ = "Africa/Douala"


async def _delivered(db, clock) -> str:
    code, driver_id = await _picked_up(db, clock)
    async with db.unit() as unit:
        real = (await unit.session.scalar(select(Order).where(Order.code == code))).handover_code
    assert (await driving.hand_over(db, driver_id, driving.Job(code=code), real)).done
    return code


async def test_each_day_counts_its_orders_takings_commission_and_drivers(db, clock):
    before = await business.business(db, tz=TZ, days=2)
    code = await _delivered(db, clock)
    rejected, restaurant = await _placed(db)
    await kitchen.reject(db, rejected.code, by=_staff(restaurant), reason="no gas")
    clock.advance(days=1)
    waiting, _ = await _placed(db)
    seen = await business.business(db, tz=TZ, days=2)
    assert (seen.first, seen.last) == (date(2026, 11, 24), date(2026, 11, 25))
    yesterday, today = seen.days
    async with db.unit() as unit:
        delivered = await unit.session.scalar(select(Order).where(Order.code == code))
    assert (yesterday.orders - before.days[1].orders, yesterday.served, yesterday.cancelled) == (2, 1, 1)
    assert yesterday.takings_xaf == delivered.total_xaf and yesterday.drivers == 1
    assert 0 < yesterday.commission_xaf < delivered.subtotal_xaf
    assert yesterday.commission_xaf == delivered.subtotal_xaf * 10 // 100  # the demo's all-day restaurant is over 500 orders
    assert (today.orders, today.served, today.takings_xaf, today.commission_xaf) == (1, 0, 0, 0)
    assert seen.orders == 3 and seen.takings_xaf == delivered.total_xaf and seen.orders_by_ussd == 3
    assert waiting.code


async def test_a_day_range_out_of_bounds_is_refused(db):
    with pytest.raises(BadInput):
        await business.business(db, tz=TZ, days=0)
    with pytest.raises(BadInput):
        await business.business(db, tz=TZ, days=business.MOST_DAYS + 1)


async def test_the_payment_success_rate_is_per_provider_over_those_decided(db, clock):
    outcomes = [("mtn", "SUCCEEDED"), ("mtn", "SUCCEEDED"), ("mtn", "FAILED"), ("mtn", "PENDING"),
                ("campay", "EXPIRED"), ("campay", "REFUNDED")]
    for provider, status in outcomes:
        order, _ = await _placed(db)
        async with db.unit() as unit:
            # The provider's answer as the payment machine would have left it: this test reads the tally.
            payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
            payment.method, payment.provider, payment.status = "mtn", provider, status
    rates = {r.provider: r for r in (await business.business(db, tz=TZ, days=1)).providers}
    assert (rates["mtn"].paid, rates["mtn"].unpaid, rates["mtn"].open, rates["mtn"].success_percent) == (2, 1, 1, 67)
    assert (rates["campay"].paid, rates["campay"].unpaid, rates["campay"].success_percent) == (1, 1, 50)
    assert "cash" not in rates


def test_a_provider_with_nothing_decided_has_no_rate():
    assert business.ProviderRate("mtn", 0, 0, 3).success_percent is None


async def test_drivers_online_and_approved_are_counted(db):
    seen = await business.business(db, tz=TZ)
    assert seen.approved_drivers >= 6 and 0 <= seen.online_drivers <= seen.approved_drivers


async def test_ended_sessions_fill_the_funnel_once_each_and_show_where_people_give_up(db, clock):
    path = ("home", "places", "restaurants", "dishes", "quantity", "basket", "fulfilment", "payment", "summary", "placed")
    await business.count_session(db, EndedSession("s1", path, "placed", True), tz=TZ)
    assert not await business.count_session(db, EndedSession("s1", path, "placed", True), tz=TZ)  # notified twice
    await business.count_session(db, EndedSession("s2", ("home", "places", "restaurants"), "restaurants", False), tz=TZ)
    await business.count_session(db, EndedSession("s3", ("home", "places", "restaurants"), "restaurants", False), tz=TZ)
    await business.count_session(db, EndedSession("s4", ("home", "language"), "language", False), tz=TZ)
    await business.count_session(db, EndedSession("s5", ("home", "help"), "help", True), tz=TZ)
    funnel = (await business.business(db, tz=TZ, days=1)).funnel
    steps = {s.screen: (s.reached, s.left) for s in funnel.steps}
    assert (funnel.dials, funnel.placed) == (5, 1)
    assert steps["home"] == (5, 0) and steps["places"] == (3, 0) and steps["restaurants"] == (3, 2)
    assert steps["summary"] == (1, 0) and steps["categories"] == (0, 0)
    assert [(s.screen, s.left) for s in funnel.given_up] == [("restaurants", 2), ("language", 1)]
    clock.advance(days=1)
    assert (await business.business(db, tz=TZ, days=1)).funnel.dials == 0  # a new day starts at zero
    assert (await business.business(db, tz=TZ, days=2)).funnel.dials == 5


async def test_a_session_that_showed_nothing_is_refused(db):
    with pytest.raises(BadInput):
        await business.count_session(db, EndedSession("s0", (), "home", False), tz=TZ)
