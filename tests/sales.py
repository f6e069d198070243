"""Sales made in tests at known times, by known methods, with known waits before acceptance."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core import payments
from core.models import MenuItem, Payment
from core.orders import Destination, LineRequest, Placement
from core.placing import place_order
from core.use_cases import kitchen
from tests import demo
from tests.conftest import LUNCHTIME

TZ = "Africa/Douala"
PROVIDER = {"mtn": "mtn", "orange": "campay", "card": "stripe"}


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """November `day` 2026 at hour:minute in Douala, as the aware UTC the clock keeps."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc)


async def dishes(db) -> tuple[int, MenuItem, MenuItem]:
    """The all-day Yaounde restaurant's id and its first two available dishes without options."""
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        items = await unit.session.scalars(
            select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.available.is_(True))
            .order_by(MenuItem.position)
        )
        plain = [i for i in items if not i.option_groups]
        return restaurant.id, plain[0], plain[1]


async def sell(db, clock, dish: MenuItem, quantity: int, method: str = "cash", *, accept_after_s: int | None = None,
               reject: bool = False) -> str:
    """An order of `quantity` of `dish` that reaches the restaurant now (paid first when not cash),
    then is accepted `accept_after_s` seconds later, or rejected, or left waiting; its code."""
    async with db.unit() as unit:
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        order = await place_order(
            unit,
            Placement(customer=customer, restaurant_id=dish.restaurant_id, lines=[LineRequest(dish.id, quantity)],
                      payment_method=method, channel="ussd", language="fr",
                      destination=Destination(city="Yaounde", quarter_text="Bastos", lat=3.89237, lon=11.51148)),
            tz=TZ, payment_window_s=300,
        )
        code = order.code
        if method != "cash":
            payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
            provider = PROVIDER[method]
            await payments.requested(unit, payment, provider, payments.ProviderAnswer("pending", f"{provider}-{code}"))
            await payments.apply_answer(unit, payment, payments.ProviderAnswer("successful", f"{provider}-{code}"),
                                        actor=f"provider:{provider}")
    staff = kitchen.Staff(restaurant_ids={dish.restaurant_id}, actor=f"restaurant:{dish.restaurant_id}:test")
    if accept_after_s is not None:
        clock.advance(seconds=accept_after_s)
        await kitchen.accept(db, code, by=staff, minutes=20)
    elif reject:
        await kitchen.reject(db, code, by=staff, reason="no gas")
    return code


async def a_week(db, clock) -> tuple[int, MenuItem, MenuItem]:
    """A week of sales up to today, Tuesday 24 November 2026 at lunchtime (the clock is left
    there), and one order the day before the week began:

    | local time   | dish       | method | answer            |
    |--------------|------------|--------|-------------------|
    | 17/11 13:00  | first  x5  | cash   | accepted in 45 s  |
    | 18/11 19:10  | first  x1  | cash   | accepted in 60 s  |
    | 22/11 12:30  | second x3  | mtn    | accepted in 120 s |
    | 24/11 12:00  | first  x2  | orange | accepted in 600 s |
    | 24/11 12:10  | first  x1  | cash   | rejected          |
    | 24/11 12:10  | first  x1  | card   | accepted in 30 s  |
    """
    restaurant_id, first, second = await dishes(db)
    clock.now = local(17, 13)
    await sell(db, clock, first, 5, accept_after_s=45)
    clock.now = local(18, 19, 10)
    await sell(db, clock, first, 1, accept_after_s=60)
    clock.now = local(22, 12, 30)
    await sell(db, clock, second, 3, "mtn", accept_after_s=120)
    clock.now = local(24, 12, 0)
    await sell(db, clock, first, 2, "orange", accept_after_s=600)
    await sell(db, clock, first, 1, reject=True)
    await sell(db, clock, first, 1, "card", accept_after_s=30)
    clock.now = LUNCHTIME
    return restaurant_id, first, second
