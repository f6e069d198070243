"""A restaurant's sales over today, 7 or 30 local days, for its console's sales page and CSV.

The figures follow the day report's rules (`core.use_cases.reporting`): an order counts on the
local day it reached the restaurant, its food counts in the takings once the restaurant served
it, dishes rank by quantity. On top: the average basket (takings over served orders), the split
by payment method, how long the restaurant took to accept (median and 90th percentile, every
accepted order, AUTO ones at 0 s), the orders of each hour of the day, and one row per day.
"""
import csv
import io
import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from core.catalog import restaurant as restaurant_of
from core.db import Units
from core.errors import BadInput
from core.models import Order
from core.orders import PAYMENT_METHODS
from core.use_cases.reporting import BestDish, dishes_sold, orders_reached, served, takings_by_method, today

PERIODS = {"today": 1, "7d": 7, "30d": 30}  # the sales page's choices: local days ending today
TOP_DISHES = 5
CSV_COLUMNS = ("figure", "key", "value")


@dataclass(frozen=True)
class DaySales:
    day: date
    orders: int
    served: int
    takings_xaf: int


@dataclass(frozen=True)
class SalesReport:
    restaurant_id: int
    period: str  # a key of PERIODS
    first_day: date  # local days, both included
    last_day: date
    orders: int  # reached the restaurant in the period
    served: int  # of those, accepted and not called off since
    takings_xaf: dict[str, int]  # food of the served orders by payment method, every method present
    served_by_method: dict[str, int]  # served orders by payment method, every method present
    best: tuple[BestDish, ...]  # the TOP_DISHES most sold, by quantity
    accepted: int  # orders accepted in the period (the time to accept is theirs)
    accept_median_s: int | None  # None when none was accepted
    accept_p90_s: int | None
    by_hour: tuple[int, ...]  # 24 counts: orders that reached the restaurant in each local hour
    by_day: tuple[DaySales, ...]  # every day of the period, oldest first, quiet days included

    @property
    def total_xaf(self) -> int:
        return sum(self.takings_xaf.values())

    @property
    def average_basket_xaf(self) -> int:
        """Takings over served orders, rounded to the franc (half up); 0 when nothing was served."""
        return (2 * self.total_xaf + self.served) // (2 * self.served) if self.served else 0

    @property
    def busiest_hour(self) -> int | None:
        """The local hour with the most orders (the earliest of a tie), None in a period without any."""
        most = max(self.by_hour)
        return self.by_hour.index(most) if most else None


def period_days(period: str) -> int:
    try:
        return PERIODS[period]
    except KeyError:
        raise BadInput(f"period must be one of {', '.join(PERIODS)}, not {period!r}") from None


def percentile(sorted_values: list[int], share: float) -> int:
    """The nearest-rank percentile of values sorted ascending: a time some order really took."""
    return sorted_values[max(1, math.ceil(share * len(sorted_values))) - 1]


async def sales(units: Units, restaurant_id: int, *, tz: str, period: str = "today") -> SalesReport:
    days = period_days(period)
    async with units.unit() as unit:
        await restaurant_of(unit, restaurant_id)
        last = today(unit.now(), tz)
        first = last - timedelta(days=days - 1)
        orders = await orders_reached(unit, restaurant_id, first, last, tz)
    return _figures(restaurant_id, period, first, last, orders, tz)


def _figures(restaurant_id: int, period: str, first: date, last: date, orders: list[Order], tz: str) -> SalesReport:
    zone = ZoneInfo(tz)
    taken = served(orders)
    taken_ids = {o.id for o in taken}
    served_by_method = dict.fromkeys(PAYMENT_METHODS, 0)
    for order in taken:
        served_by_method[order.payment_method] = served_by_method.get(order.payment_method, 0) + 1
    waits = sorted(
        max(0, round((o.accepted_at - o.reached_restaurant_at).total_seconds()))
        for o in orders if o.accepted_at is not None
    )
    by_hour = [0] * 24
    day_orders = {first + timedelta(days=n): [0, 0, 0] for n in range((last - first).days + 1)}
    for order in orders:
        local = order.reached_restaurant_at.astimezone(zone)
        by_hour[local.hour] += 1
        row = day_orders[local.date()]
        row[0] += 1
        if order.id in taken_ids:
            row[1] += 1
            row[2] += order.subtotal_xaf
    return SalesReport(
        restaurant_id=restaurant_id, period=period, first_day=first, last_day=last, orders=len(orders),
        served=len(taken), takings_xaf=takings_by_method(taken), served_by_method=served_by_method,
        best=tuple(dishes_sold(taken)[:TOP_DISHES]), accepted=len(waits),
        accept_median_s=round(statistics.median(waits)) if waits else None,
        accept_p90_s=percentile(waits, 0.9) if waits else None,
        by_hour=tuple(by_hour), by_day=tuple(DaySales(day, *row) for day, row in day_orders.items()),
    )


def sales_csv(report: SalesReport, language: str = "en") -> str:
    """The same figures as one CSV of `figure,key,value` rows: a spreadsheet filters or pivots
    them, and every section (totals, methods, dishes, hours, days) fits the same three columns."""
    def dish_name(dish: BestDish) -> str:
        return dish.name_fr if language == "fr" else dish.name_en

    rows: list[tuple[str, object, object]] = [
        ("period", "", report.period), ("first_day", "", report.first_day.isoformat()),
        ("last_day", "", report.last_day.isoformat()), ("orders", "", report.orders), ("served", "", report.served),
        ("takings_xaf", "", report.total_xaf), ("average_basket_xaf", "", report.average_basket_xaf),
        ("accepted", "", report.accepted), ("accept_median_s", "", _blank(report.accept_median_s)),
        ("accept_p90_s", "", _blank(report.accept_p90_s)),
    ]
    rows += [("method_takings_xaf", method, amount) for method, amount in report.takings_xaf.items()]
    rows += [("method_served", method, count) for method, count in report.served_by_method.items()]
    rows += [("dish_quantity", dish_name(dish), dish.quantity) for dish in report.best]
    rows += [("dish_takings_xaf", dish_name(dish), dish.takings_xaf) for dish in report.best]
    rows += [("hour_orders", f"{hour:02d}", count) for hour, count in enumerate(report.by_hour)]
    for day in report.by_day:
        key = day.day.isoformat()
        rows += [("day_orders", key, day.orders), ("day_served", key, day.served), ("day_takings_xaf", key, day.takings_xaf)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _blank(value: int | None) -> object:
    return "" if value is None else value
