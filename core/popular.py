"""What neighbours order at this hour: the one query, the rule, and the short cache in front of it.

The rule, once: the orders of the last `WEEKS` weeks that went ahead (as for the usual: not
drafts, refused, expired or cancelled) and were delivered to the quarter, or collected at a
restaurant of the quarter, placed within an hour either side of this local hour (any day); a
dish counts once per order that holds it. The top `TOP` dishes, most orders first (then most
portions, then the dish's id, so the list is stable). One query reads the lines of those orders;
the local hour is worked out here, in the service's time zone, so both databases agree.
"""
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.db import Unit
from core.models import Order, OrderLine
from core.usual import DID_NOT_GO_AHEAD

WEEKS = 4
HOURS_EITHER_SIDE = 1
TOP = 8
CACHE_TTL_S = 300.0  # what neighbours order changes by the hour, not by the hop
CACHE_MAX = 512  # quarters x hours kept at once; expired ones go first when full


@dataclass(frozen=True)
class PopularDish:
    item_id: int
    restaurant_id: int
    orders: int  # orders that held it
    portions: int


@dataclass(frozen=True)
class Popular:
    quarter_id: int
    hour: int  # the local hour it was worked out for (0-23)
    dishes: tuple[PopularDish, ...]


def _near_hour(local_hour: int, hour: int) -> bool:
    apart = abs(local_hour - hour) % 24
    return min(apart, 24 - apart) <= HOURS_EITHER_SIDE


async def read(unit: Unit, quarter_id: int, *, tz: str) -> Popular:
    """The top dishes of the quarter around this local hour, worked out now: one query."""
    now = unit.now()
    zone = ZoneInfo(tz)
    hour = now.astimezone(zone).hour
    rows = await unit.session.execute(
        select(OrderLine.item_id, OrderLine.quantity, Order.id, Order.restaurant_id, Order.created_at)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.quarter_id == quarter_id,  # a pickup order carries its restaurant's quarter
            Order.created_at >= now - timedelta(weeks=WEEKS),
            Order.status.not_in(DID_NOT_GO_AHEAD),
        )
    )
    orders: dict[tuple[int, int], set[int]] = {}
    portions: dict[tuple[int, int], int] = {}
    for item_id, quantity, order_id, restaurant_id, created_at in rows:
        if not _near_hour(created_at.astimezone(zone).hour, hour):
            continue
        key = (item_id, restaurant_id)
        orders.setdefault(key, set()).add(order_id)
        portions[key] = portions.get(key, 0) + quantity
    ranked = sorted(orders, key=lambda k: (-len(orders[k]), -portions[k], k[0]))
    return Popular(quarter_id, hour, tuple(PopularDish(k[0], k[1], len(orders[k]), portions[k]) for k in ranked[:TOP]))


class PopularCache:
    """Each web process keeps what it worked out for a quarter and hour `CACHE_TTL_S` seconds,
    so a list shown on many hops and to many neighbours costs its query once in a while."""

    def __init__(self, ttl_s: float = CACHE_TTL_S, clock=time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self.kept: dict[tuple, tuple[float, Popular]] = {}

    def get(self, key: tuple) -> Popular | None:
        found = self.kept.get(key)
        if found is None or found[0] <= self.clock():
            return None
        return found[1]

    def put(self, key: tuple, popular: Popular) -> Popular:
        if len(self.kept) >= CACHE_MAX:
            now = self.clock()
            self.kept = {k: v for k, v in self.kept.items() if v[0] > now}
            if len(self.kept) >= CACHE_MAX:
                self.kept.pop(next(iter(self.kept)))
        self.kept[key] = (self.clock() + self.ttl_s, popular)
        return popular


def cache_key(quarter_id: int, at: datetime, tz: str) -> tuple:
    local = at.astimezone(ZoneInfo(tz))
    return quarter_id, local.date(), local.hour
