"""The business in figures for the operations console: orders, takings and commission per local
day, drivers at work, how often each payment provider gets paid, and the USSD funnel (dials,
orders placed, and the screens people give up on).

Days are local (`tz`), at most MOST_DAYS back. Orders are read as three columns and summed here
rather than grouped by day in SQL, because "the local day of a time" is written differently on
SQLite and PostgreSQL; the funnel is an aggregate table bumped once per ended session.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.db import Units
from core.dedupe import first_time
from core.errors import BadInput
from core.models import Driver, LedgerEntry, Order, Payment, UssdScreenDay
from core.use_cases.reporting import SERVED
from state_machines.driver import DriverStatus
from state_machines.order import OrderStatus as S
from state_machines.payment import PaymentStatus as P

MOST_DAYS = 92
PAID = frozenset({P.SUCCEEDED, P.REFUNDED, P.PARTIALLY_REFUNDED})  # the provider took the money
UNPAID = frozenset({P.FAILED, P.EXPIRED})  # declined, or never approved
SPLITS = ("delivery_split", "pickup_split")  # where the platform's commission is booked
# The customer's way to an order, in the order a USSD session meets the screens; the funnel
# shows these, each with the sessions that reached it and that left from it.
ORDER_PATH = ("home", "places", "restaurants", "categories", "dishes", "choice", "quantity", "basket", "fulfilment",
              "addresses", "payment", "summary", "placed")
SESSION_END = "at-ussd-end"  # the provider name the end-of-session notices are deduplicated under


@dataclass(frozen=True)
class Day:
    day: date
    orders: int  # placed that day (drafts aside)
    served: int  # of those, taken by the restaurant and not called off since
    cancelled: int  # of those, rejected, expired or cancelled
    takings_xaf: int  # what the served ones cost their customers, food and delivery
    commission_xaf: int  # the platform's share of the orders settled that day, from the ledger
    drivers: int  # drivers who delivered at least once that day


@dataclass(frozen=True)
class ProviderRate:
    provider: str
    paid: int
    unpaid: int
    open: int  # still waiting for the payer or the provider

    @property
    def success_percent(self) -> int | None:
        """Paid of those decided, rounded; None while none is."""
        decided = self.paid + self.unpaid
        return None if decided == 0 else (200 * self.paid + decided) // (2 * decided)


@dataclass(frozen=True)
class Step:
    screen: str
    reached: int
    left: int  # ended there without an END screen of ours: hung up, timed out, or the network dropped


@dataclass(frozen=True)
class Funnel:
    dials: int  # customer sessions (those that showed the main menu)
    placed: int  # sessions that showed the order placed
    steps: tuple[Step, ...]  # ORDER_PATH, each screen's counts
    given_up: tuple[Step, ...]  # every screen people left from, most left first


@dataclass(frozen=True)
class Business:
    first: date
    last: date
    days: tuple[Day, ...]  # oldest first, every day of the range (zeros included)
    online_drivers: int  # approved and online now
    approved_drivers: int
    providers: tuple[ProviderRate, ...]  # by name
    funnel: Funnel
    orders_by_ussd: int  # placed from a USSD session in the range, from the orders themselves

    @property
    def orders(self) -> int:
        return sum(d.orders for d in self.days)

    @property
    def takings_xaf(self) -> int:
        return sum(d.takings_xaf for d in self.days)

    @property
    def commission_xaf(self) -> int:
        return sum(d.commission_xaf for d in self.days)


def _day_range(now: datetime, tz: str, days: int) -> tuple[date, date, datetime, datetime]:
    if not 1 <= days <= MOST_DAYS:
        raise BadInput(f"days: from 1 to {MOST_DAYS}")
    zone = ZoneInfo(tz)
    last = now.astimezone(zone).date()
    first = last - timedelta(days=days - 1)
    return first, last, datetime.combine(first, time(0), zone), datetime.combine(last + timedelta(days=1), time(0), zone)


async def business(units: Units, *, tz: str, days: int = 7) -> Business:
    """The last `days` local days, today included."""
    async with units.unit() as unit:
        first, last, start, end = _day_range(unit.now(), tz, days)
        zone = ZoneInfo(tz)
        orders = (await unit.session.execute(
            select(Order.created_at, Order.status, Order.total_xaf, Order.channel)
            .where(Order.created_at >= start, Order.created_at < end, Order.status != S.DRAFT.value)
        )).all()
        splits = (await unit.session.execute(
            select(LedgerEntry.created_at, LedgerEntry.ledger_account, LedgerEntry.amount_xaf).where(
                LedgerEntry.kind.in_(SPLITS), LedgerEntry.created_at >= start, LedgerEntry.created_at < end,
                (LedgerEntry.ledger_account == "platform") | LedgerEntry.ledger_account.like("driver:%"),
            )
        )).all()
        payments = (await unit.session.execute(
            select(Payment.provider, Payment.status, func.count(Payment.id))
            .where(Payment.created_at >= start, Payment.created_at < end, Payment.method != "cash", Payment.provider != "")
            .group_by(Payment.provider, Payment.status)
        )).all()
        online = await unit.session.scalar(
            select(func.count(Driver.account_id)).where(Driver.status == DriverStatus.APPROVED.value, Driver.online.is_(True))
        )
        approved = await unit.session.scalar(
            select(func.count(distinct(Driver.account_id))).where(Driver.status == DriverStatus.APPROVED.value)
        )
        counted = (await unit.session.execute(
            select(UssdScreenDay.screen, func.sum(UssdScreenDay.reached), func.sum(UssdScreenDay.left))
            .where(UssdScreenDay.day >= first, UssdScreenDay.day <= last).group_by(UssdScreenDay.screen)
        )).all()
    return Business(
        first, last, _days(first, last, zone, orders, splits), int(online or 0), int(approved or 0), _rates(payments),
        _funnel({screen: (int(reached or 0), int(left or 0)) for screen, reached, left in counted}),
        sum(1 for *_, channel in orders if channel == "ussd"),
    )


def _days(first: date, last: date, zone: ZoneInfo, orders, splits) -> tuple[Day, ...]:
    placed, served, cancelled, takings, commission = Counter(), Counter(), Counter(), Counter(), Counter()
    for at, status, total_xaf, _ in orders:
        day = at.astimezone(zone).date()
        placed[day] += 1
        if status in SERVED:
            served[day] += 1
            takings[day] += total_xaf
        elif status in (S.REJECTED, S.EXPIRED, S.CANCELLED):
            cancelled[day] += 1
    drivers: dict[date, set[str]] = {}
    for at, account, amount_xaf in splits:
        day = at.astimezone(zone).date()
        if account == "platform":
            commission[day] += -amount_xaf  # the platform's share is booked as owed to it
        else:
            drivers.setdefault(day, set()).add(account)
    span = (last - first).days + 1
    return tuple(
        Day(d, placed[d], served[d], cancelled[d], takings[d], commission[d], len(drivers.get(d, ())))
        for d in (first + timedelta(days=n) for n in range(span))
    )


def _rates(rows) -> tuple[ProviderRate, ...]:
    counts: dict[str, Counter] = {}
    for provider, status, n in rows:
        bucket = "paid" if status in PAID else "unpaid" if status in UNPAID else "open"
        counts.setdefault(provider, Counter())[bucket] += n
    return tuple(ProviderRate(p, c["paid"], c["unpaid"], c["open"]) for p, c in sorted(counts.items()))


def _funnel(counted: dict[str, tuple[int, int]]) -> Funnel:
    steps = tuple(Step(screen, *counted.get(screen, (0, 0))) for screen in ORDER_PATH)
    given_up = tuple(sorted((Step(s, r, l) for s, (r, l) in counted.items() if l), key=lambda s: (-s.left, s.screen)))
    return Funnel(counted.get("home", (0, 0))[0], counted.get("placed", (0, 0))[0], steps, given_up)


@dataclass(frozen=True)
class EndedSession:
    """A USSD session as it stood when the gateway said it ended."""

    session_id: str
    seen: tuple[str, ...]  # every screen it showed
    last: str  # the screen it ended on
    finished: bool  # that screen was an END of ours (order placed, goodbye...): nobody gave up


async def count_session(units: Units, ended: EndedSession, *, tz: str) -> bool:
    """Adds an ended session to its day's funnel, once per session id (the gateway may notify twice);
    False when it was counted already."""
    if not ended.seen:
        raise BadInput("a session shows at least one screen")
    async with units.unit() as unit:
        if not await first_time(unit, SESSION_END, ended.session_id):
            return False
        day = unit.now().astimezone(ZoneInfo(tz)).date()
        insert = pg_insert if unit.is_postgres else sqlite_insert
        rows = [{"day": day, "screen": screen[:24], "reached": 1, "left": int(screen == ended.last and not ended.finished)}
                for screen in dict.fromkeys((*ended.seen, ended.last))]
        statement = insert(UssdScreenDay)
        statement = statement.on_conflict_do_update(
            index_elements=["day", "screen"],
            set_={"reached": UssdScreenDay.reached + statement.excluded.reached,
                  "left": UssdScreenDay.left + statement.excluded.left},
        )
        for row in sorted(rows, key=lambda r: r["screen"]):  # one order everywhere: two sessions ending at once never deadlock
            await unit.session.execute(statement.values(**row))
        return True
