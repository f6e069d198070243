"""A restaurant's day in figures (BILAN/REPORT by SMS, the report over REST): orders that reached
it, those it served, the food takings by payment method, and the dish sold most.

The rules of what counts are here, once: an order counts on the local day it reached the
restaurant, its food counts in the takings when the restaurant served it (`SERVED`), and dishes
rank by quantity sold. The sales pages (`core.use_cases.sales`) read their periods through them.
"""
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.catalog import restaurant as restaurant_of
from core.db import Unit, Units
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
    takings_xaf: int  # what its lines brought, options included


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


async def orders_reached(unit: Unit, restaurant_id: int, first: date, last: date, tz: str) -> list[Order]:
    """The orders that reached the restaurant from local day `first` to `last`, both included."""
    start = datetime.combine(first, time(0), ZoneInfo(tz))
    end = datetime.combine(last + timedelta(days=1), time(0), ZoneInfo(tz))
    return list(await unit.session.scalars(
        select(Order).where(Order.restaurant_id == restaurant_id, Order.reached_restaurant_at >= start,
                            Order.reached_restaurant_at < end).order_by(Order.reached_restaurant_at, Order.id)
    ))


def served(orders: Iterable[Order]) -> list[Order]:
    return [o for o in orders if o.status in SERVED]


def takings_by_method(served_orders: Iterable[Order]) -> dict[str, int]:
    """Food takings of served orders by payment method, every method present (0 included)."""
    takings = dict.fromkeys(PAYMENT_METHODS, 0)
    for order in served_orders:
        takings[order.payment_method] = takings.get(order.payment_method, 0) + order.subtotal_xaf
    return takings


def dishes_sold(served_orders: Iterable[Order]) -> list[BestDish]:
    """Every dish of the served orders, the most sold first (ties by name)."""
    quantity: Counter[tuple[str, str]] = Counter()
    takings: Counter[tuple[str, str]] = Counter()
    for order in served_orders:
        for line in order.lines:
            quantity[(line.name_en, line.name_fr)] += line.quantity
            takings[(line.name_en, line.name_fr)] += line.line_total_xaf
    ranked = sorted(quantity.items(), key=lambda kv: (-kv[1], kv[0]))
    return [BestDish(en, fr, sold, takings[(en, fr)]) for (en, fr), sold in ranked]


async def day_report(units: Units, restaurant_id: int, *, tz: str, day: date | None = None) -> DayReport:
    """The report of local day `day` (today when None); a day in the future is refused."""
    async with units.unit() as unit:
        await restaurant_of(unit, restaurant_id)
        this_day = today(unit.now(), tz)
        day = day or this_day
        if day > this_day or day < this_day - OLDEST_DAY:
            raise BadInput(f"day must be between {this_day - OLDEST_DAY} and today, {this_day}")
        orders = await orders_reached(unit, restaurant_id, day, day, tz)
    taken = served(orders)
    dishes = dishes_sold(taken)
    return DayReport(restaurant_id, day, len(orders), len(taken), takings_by_method(taken), dishes[0] if dishes else None)
