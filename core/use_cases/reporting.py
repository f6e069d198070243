"""A restaurant's day in figures (BILAN/REPORT by SMS, the report over REST): orders that reached
it, those it served, the food takings by payment method, and the dish sold most."""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.catalog import restaurant as restaurant_of
from core.db import Units
from core.errors import BadInput
from core.models import Order
from core.orders import PAYMENT_METHODS
from state_machines.order import OrderStatus as S

# Orders the restaurant took and did not lose again: their food counts in the day's takings.
SERVED = frozenset({S.ACCEPTED, S.PREPARING, S.READY, S.PICKED_UP, S.DELIVERED, S.COLLECTED, S.COMPLETED})
OLDEST_DAY = timedelta(days=366)  # a report further back than this is refused


@dataclass(frozen=True)
class BestDish:
    name_en: str
    name_fr: str
    quantity: int


@dataclass(frozen=True)
class DayReport:
    restaurant_id: int
    day: date  # local, in the service's time zone
    orders: int  # reached the restaurant that day
    served: int  # of those, accepted and not called off since
    takings_xaf: dict[str, int]  # food of the served orders, by payment method (every method, 0 included)
    best: BestDish | None  # the dish sold most that day, by quantity

    @property
    def total_xaf(self) -> int:
        return sum(self.takings_xaf.values())


def today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


async def day_report(units: Units, restaurant_id: int, *, tz: str, day: date | None = None) -> DayReport:
    """The report of local day `day` (today when None); a day in the future is refused."""
    async with units.unit() as unit:
        await restaurant_of(unit, restaurant_id)
        this_day = today(unit.now(), tz)
        day = day or this_day
        if day > this_day or day < this_day - OLDEST_DAY:
            raise BadInput(f"day must be between {this_day - OLDEST_DAY} and today, {this_day}")
        start = datetime.combine(day, time(0), ZoneInfo(tz))
        end = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz))
        orders = list(await unit.session.scalars(
            select(Order).where(Order.restaurant_id == restaurant_id, Order.reached_restaurant_at >= start,
                                Order.reached_restaurant_at < end)
        ))
    served = [o for o in orders if o.status in SERVED]
    takings = dict.fromkeys(PAYMENT_METHODS, 0)
    sold: Counter[tuple[str, str]] = Counter()
    for order in served:
        takings[order.payment_method] = takings.get(order.payment_method, 0) + order.subtotal_xaf
        for line in order.lines:
            sold[(line.name_en, line.name_fr)] += line.quantity
    best = None
    if sold:
        (name_en, name_fr), quantity = min(sold.items(), key=lambda kv: (-kv[1], kv[0]))
        best = BestDish(name_en, name_fr, quantity)
    return DayReport(restaurant_id, day, len(orders), len(served), takings, best)
