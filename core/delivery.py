"""Delivery: a job per delivery order, offered to the nearest online drivers by SMS, taken by
one, picked up, and handed over against the customer's code; then the money is split.

Two drivers taking one job at once: the job's version column lets one commit, the other gets
a Conflict and is told the job went. A driver holds one active job unless allowed more, and a
driver holding more cash than the cap gets no cash jobs until they remit.
"""
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select

from core import audit, delivery_notices as D, feedback, ledger, measures, outbox, payments
from core.codes import new_handover_code
from core.db import Unit
from core.errors import BadInput, Forbidden, IllegalTransition
from core.models import Account, DeliveryJob, Driver, LedgerEntry, Order, Quarter, Restaurant, Role
from core.orders import move
from core.pricing import commission_of
from core.quarters import distance_km
from core.ratings import driver_score
from state_machines.delivery import ACTIVE, DeliveryFlow, DeliveryStatus as S
from state_machines.driver import DriverStatus

OFFER_BATCH = 3
PLACE_BAND_KM = 1.0  # homes this close in distance from the restaurant count as equally placed
MAX_WRONG_CODES = 3


@dataclass(frozen=True)
class DispatchRules:
    offer_timeout_s: int = 60  # then the offer widens to the next drivers
    no_driver_after_s: int = 600  # then support is alerted and the customer told
    cash_cap_xaf: int = 50_000
    when_ready: bool = False  # offer once the food is ready rather than once accepted


OFFERABLE = {"ACCEPTED", "PREPARING", "READY"}
WORKING = DriverStatus.APPROVED.value  # the only standing that goes online and gets offers


class NotApproved(Forbidden):
    """A driver not (or no longer) approved: no going online, no offers, no new job."""

    def __init__(self, driver: Driver) -> None:
        super().__init__(f"your driver account is {driver.status.lower()}" + (f": {driver.status_reason}" if driver.status_reason else ""))
        self.standing = driver.status
        self.reason = driver.status_reason


def may_work(driver: Driver) -> None:
    if driver.status != WORKING:
        raise NotApproved(driver)


def _fire(unit: Unit, job: DeliveryJob, trigger: str, *, actor: str, reason: str | None = None) -> None:
    audit.change(unit, DeliveryFlow(job), trigger, actor=actor, reason=reason)


async def _tell(unit: Unit, phone: str, body: str, kind: str, job: DeliveryJob, *, secret: str | None = None) -> None:
    """Once per job, kind and recipient: a failed delivery sent again is a new job, told anew."""
    await outbox.about_order(unit, job.order, phone, body, kind, secret=secret, round_=f"job{job.id}")


async def job_for(unit: Unit, code: str) -> DeliveryJob | None:
    """The order's delivery job: its newest, when a failed delivery was sent again."""
    return await unit.session.scalar(
        select(DeliveryJob).join(Order).where(Order.code == code).order_by(DeliveryJob.id.desc()).limit(1)
    )


def in_hand(driver_id: int) -> ColumnElement[bool]:
    """The driver's jobs taken and not yet handed over (or failed)."""
    return and_(DeliveryJob.driver_account_id == driver_id, DeliveryJob.status.in_([s.value for s in ACTIVE]))


async def active_jobs(unit: Unit, driver_id: int) -> int:
    rows = await unit.session.scalars(select(DeliveryJob.id).where(in_hand(driver_id)))
    return len(list(rows))


@dataclass
class Fleet:
    """The online drivers and what limits them, read once for a whole dispatch pass."""

    drivers: list[Driver]
    busy: dict[int, int]  # active jobs per driver
    cash: dict[int, int]  # cash in hand per driver
    homes: dict[int, tuple[float, float]]  # driver's home point

    @classmethod
    async def load(cls, unit: Unit) -> "Fleet":
        drivers = list(await unit.session.scalars(
            select(Driver).where(Driver.online.is_(True), Driver.status == WORKING)
        ))
        busy_rows = await unit.session.execute(
            select(DeliveryJob.driver_account_id, func.count(DeliveryJob.id))
            .where(DeliveryJob.status.in_([s.value for s in ACTIVE]))
            .group_by(DeliveryJob.driver_account_id)
        )
        cash = {int(k.rsplit(":", 1)[1]): v for k, v in (await ledger.balances(unit, "cash:driver:")).items()}
        quarter_ids = {d.home_quarter_id for d in drivers if d.home_quarter_id}
        homes = {}
        if quarter_ids:
            points = {q.id: (q.lat, q.lon) for q in await unit.session.scalars(select(Quarter).where(Quarter.id.in_(quarter_ids)))}
            homes = {d.account_id: points[d.home_quarter_id] for d in drivers if d.home_quarter_id in points}
        return cls(drivers, dict(busy_rows.all()), cash, homes)

    def available(self, job: DeliveryJob, restaurant: Restaurant, rules: "DispatchRules") -> list[Driver]:
        """Online drivers of the restaurant's city not yet offered this job: in zone first, then
        nearest; among those equally placed (in zone alike, home within the same PLACE_BAND_KM),
        the better rated first (core.ratings.driver_score: a new driver is not ranked last)."""
        cash_job = job.order.payment_method == "cash"
        found = []
        for driver in self.drivers:
            if driver.city != restaurant.city or driver.account_id in job.offered_to:
                continue
            if self.busy.get(driver.account_id, 0) >= driver.max_active_jobs:
                continue
            if cash_job and self.cash.get(driver.account_id, 0) >= rules.cash_cap_xaf:
                continue
            home = self.homes.get(driver.account_id)
            distance = distance_km(home[0], home[1], restaurant.lat, restaurant.lon) if home else 99.0
            placed = (restaurant.quarter.name not in (driver.zone or []), round(distance / PLACE_BAND_KM))
            found.append((placed, -driver_score(driver.rating_total, driver.rating_count), distance, driver))
        return [d for *_, d in sorted(found, key=lambda t: t[:3])]


async def dispatch(unit: Unit, job: DeliveryJob, rules: DispatchRules, fleet: Fleet | None = None) -> int:
    """Offers the job to the next few drivers; returns how many were offered."""
    fleet = fleet or await Fleet.load(unit)
    restaurant = await unit.session.get(Restaurant, job.order.restaurant_id)
    drivers = fleet.available(job, restaurant, rules)[:OFFER_BATCH]
    for driver in drivers:
        await _tell(unit, driver.account.phone, D.offer(job.order, restaurant, job.fee_xaf, driver.account.language),
                    "delivery.offer", job)
    if drivers:
        job.offered_to = [*job.offered_to, *(d.account_id for d in drivers)]
        _fire(unit, job, "offer", actor="system")
    return len(drivers)


async def dispatch_due(unit: Unit, rules: DispatchRules) -> int:
    """The worker's pass: new jobs offered, unanswered offers widened, long waits escalated."""
    now = unit.now()
    done = 0
    fleet = None
    waiting = await unit.session.scalars(
        select(DeliveryJob)
        .where(DeliveryJob.status.in_((S.UNASSIGNED.value, S.OFFERED.value)))
        .with_for_update(skip_locked=True, of=DeliveryJob)  # not the joined order: PostgreSQL refuses that
    )
    for job in list(waiting):
        if job.order.status not in OFFERABLE:  # the order was called off: nothing to deliver
            _fire(unit, job, "cancel", actor="system", reason=f"order {job.order.status.lower()}")
            continue
        if rules.when_ready and job.order.status != "READY":
            continue
        fresh = job.status == S.UNASSIGNED.value and not job.offered_to
        stale = now - job.updated_at >= timedelta(seconds=rules.offer_timeout_s)
        if fresh or stale:
            fleet = fleet or await Fleet.load(unit)
            done += await dispatch(unit, job, rules, fleet)
        if now - job.created_at >= timedelta(seconds=rules.no_driver_after_s):
            await _no_driver(unit, job)
    return done


async def _support(unit: Unit, job: DeliveryJob, what: str, **values) -> None:
    order = job.order
    staff = await unit.session.scalars(select(Account).join(Role).where(Role.role == "support"))
    for person in staff:
        await _tell(unit, person.phone, D.support_alert(order, what, person.language, **values), f"support.{what}", job)


async def _no_driver(unit: Unit, job: DeliveryJob) -> None:
    restaurant = await unit.session.get(Restaurant, job.order.restaurant_id)
    await _support(unit, job, "no_driver", restaurant=restaurant.name)
    customer = await unit.session.get(Account, job.order.account_id)
    await _tell(unit, customer.phone, D.no_driver(job.order, job.order.language), "delivery.no_driver", job)


def _own(job: DeliveryJob, driver: Driver) -> None:
    if job.driver_account_id != driver.account_id:
        raise Forbidden(f"job {job.order.code} is not yours")


async def take(unit: Unit, job: DeliveryJob, driver: Driver) -> None:
    """The first TAKE wins; a driver already busy (or offered nothing) is refused."""
    may_work(driver)  # an offer made before a suspension is not taken after it
    if job.status not in (S.UNASSIGNED.value, S.OFFERED.value):
        raise IllegalTransition("delivery", job.order.code, job.status, "take")
    if driver.account_id not in job.offered_to:
        raise Forbidden(f"job {job.order.code} was not offered to you")
    if await active_jobs(unit, driver.account_id) >= driver.max_active_jobs:
        raise BadInput("finish your current job first")
    _fire(unit, job, "take", actor=f"driver:{driver.account_id}")
    measures.since(measures.TAKEN, job.created_at, unit.now())
    job.driver_account_id = driver.account_id
    restaurant = await unit.session.get(Restaurant, job.order.restaurant_id)
    await _tell(unit, restaurant.phone, D.driver_coming(job.order, driver.account, restaurant.language), "delivery.driver_coming", job)
    for other_id in job.offered_to:
        if other_id != driver.account_id:
            other = await unit.session.get(Account, other_id)
            await _tell(unit, other.phone, D.taken_by_someone_else(job.order, other.language), "delivery.taken", job)


async def pick_up(unit: Unit, job: DeliveryJob, driver: Driver) -> None:
    """The driver has the food: the order moves on and the customer gets the handover code."""
    _own(job, driver)
    order = job.order
    if order.status != "READY":
        raise IllegalTransition("order", order.code, order.status, "pick_up")
    _fire(unit, job, "pick_up", actor=f"driver:{driver.account_id}")
    await move(unit, order, "pick_up", actor=f"driver:{driver.account_id}")
    order.handover_code = new_handover_code()
    customer = await unit.session.get(Account, order.account_id)
    await _tell(unit, customer.phone, D.on_the_way(order, driver.account, order.language), "delivery.on_the_way", job,
                secret=order.handover_code)


async def hand_over(unit: Unit, job: DeliveryJob, driver: Driver, code: str) -> bool:
    """DONE <order> <code>: the right code closes the delivery and splits the money; a wrong one counts."""
    _own(job, driver)
    order = job.order
    if job.status != S.PICKED_UP.value:
        raise IllegalTransition("delivery", order.code, job.status, "hand_over")
    if code != order.handover_code:
        job.wrong_codes += 1
        # Under its own entity, so the order's followers are not streamed a try that changed nothing.
        audit.record(unit, "handover", order.code, "wrong_code", actor=f"driver:{driver.account_id}",
                     data={"tries": job.wrong_codes})
        if job.wrong_codes == MAX_WRONG_CODES:
            await _support(unit, job, "wrong_codes", count=job.wrong_codes)
        return False
    actor = f"driver:{driver.account_id}"
    _fire(unit, job, "hand_over", actor=actor)
    await move(unit, order, "hand_over", actor=actor)
    if order.payment_method == "cash":
        await payments.collect_cash(unit, order, driver.account_id)
    await settle(unit, order, driver.account_id)
    await move(unit, order, "complete", actor="system")
    customer = await unit.session.get(Account, order.account_id)
    await _tell(unit, customer.phone, D.delivered(order, order.language), "delivery.delivered", job)
    await feedback.ask(unit, order, driver.account_id)
    return True


async def settle(unit: Unit, order: Order, driver_id: int | None) -> None:
    """The held money is split: the restaurant's food less commission, the driver's fee, the
    platform's commission. A pickup (`driver_id` None) has no driver and no fee.

    A discount is paid by its funder: out of the restaurant's share (restaurant-funded) or as a
    leg of its own out of the platform's (platform-funded). The driver earns the full fee even
    on free delivery, and commission is on the food at its menu price, before any discount.
    Loyalty points are the platform's money too: the restaurant and the driver are paid as if the
    customer had paid them, and a platform leg of their own pays the points' XAF."""
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    commission = commission_of(order.subtotal_xaf, restaurant)
    by_restaurant = order.discount_xaf if order.discount_funder == "restaurant" else 0
    legs = [(ledger.escrow(order), order.total_xaf),
            (f"restaurant:{restaurant.id}", -(order.subtotal_xaf - commission - by_restaurant)),
            ("platform", -commission), ("platform", order.discount_xaf - by_restaurant), ("platform", order.points_xaf)]
    if driver_id is not None:
        legs.append((f"driver:{driver_id}", -order.delivery_fee_xaf))
    ledger.post(unit, "delivery_split" if driver_id is not None else "pickup_split", legs, order_id=order.id)
    restaurant.completed_orders += 1


async def fail(unit: Unit, job: DeliveryJob, driver: Driver, reason: str) -> None:
    """The customer could not be reached: the order fails, support and the customer are told."""
    _own(job, driver)
    actor = f"driver:{driver.account_id}"
    _fire(unit, job, "fail", actor=actor, reason=reason)
    await move(unit, job.order, "fail_delivery", actor=actor, reason=reason)
    await _support(unit, job, "failed", reason=reason or "-")
    customer = await unit.session.get(Account, job.order.account_id)
    await _tell(unit, customer.phone, D.delivery_failed(job.order, job.order.language), "delivery.failed", job)


@dataclass(frozen=True)
class Earnings:
    today_jobs: int
    today_xaf: int
    week_jobs: int
    week_xaf: int


async def earnings(unit: Unit, driver_id: int, tz: str) -> Earnings:
    """Delivery fees earned today and this week (local time, weeks from Monday), from the ledger."""
    local = unit.now().astimezone(ZoneInfo(tz))
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = day_start - timedelta(days=local.weekday())
    rows = (await unit.session.execute(
        select(LedgerEntry.amount_xaf, LedgerEntry.created_at).where(
            LedgerEntry.ledger_account == f"driver:{driver_id}", LedgerEntry.kind == "delivery_split",
            LedgerEntry.created_at >= week_start,
        )
    )).all()
    today = [-amount for amount, at in rows if at >= day_start]
    return Earnings(len(today), sum(today), len(rows), sum(-amount for amount, _ in rows))
