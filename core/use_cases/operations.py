"""What the operations console watches: the orders under way across restaurants with their state
and age, the alerts support acts on, and one order's whole story (its audit log and messages).

Reads only: acting on what they show (a refund, a void, an application) is the use case of that
act (support, order_support, onboarding, staffing, paying_out, helpdesk).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from core.db import Units
from core.errors import BadInput
from core.models import Account, AuditEvent, DeliveryJob, Order, OutboxMessage, Payment, Restaurant
from core.order_views import OrderView, view_of
from core.orders import order_by_code
from core.use_cases.support import AuditEntry
from state_machines.delivery import ACTIVE, OPEN as JOB_OPEN
from state_machines.order import FINAL, OrderStatus as S

LIVE_MOST = 200  # orders on the live list at most, oldest first: more is a sign to read the alerts
# What an order's timeline gathers from the audit log under its code: the order, its delivery
# jobs, and the handover tries; its payments are under their own references.
ORDER_ENTITIES = ("order", "delivery", "handover")


@dataclass(frozen=True)
class AlertRules:
    unaccepted_after_s: int = 120  # an order waiting this long for its restaurant is shown (expiry is at 300)
    no_driver_after_s: int = 300  # a delivery job nobody has taken (support is texted at 600)

    def __post_init__(self) -> None:
        if self.unaccepted_after_s < 0 or self.no_driver_after_s < 0:
            raise BadInput("alert thresholds are seconds, 0 or more")


@dataclass(frozen=True)
class LiveOrder:
    code: str
    status: str
    restaurant_id: int
    restaurant: str
    city: str
    channel: str
    fulfilment: str
    payment_method: str
    total_xaf: int
    created_at: datetime
    changed_at: datetime  # its last change of status (or of anything)
    age_s: int  # since it was placed
    still_s: int  # since its last change
    delivery: str | None  # its delivery job's status, when it has one
    driver_phone: str | None


@dataclass(frozen=True)
class Alert:
    kind: str  # unaccepted, no_driver, failed_delivery, wrong_codes
    code: str
    restaurant_id: int
    restaurant: str
    status: str  # the order's
    since: datetime  # what the wait is counted from
    waited_s: int
    wrong_codes: int = 0
    driver_phone: str | None = None
    reason: str | None = None  # a failed delivery's, as the driver gave it


@dataclass(frozen=True)
class Alerts:
    unaccepted: tuple[Alert, ...]
    no_driver: tuple[Alert, ...]
    failed_deliveries: tuple[Alert, ...]
    wrong_codes: tuple[Alert, ...]

    @property
    def count(self) -> int:
        return len(self.unaccepted) + len(self.no_driver) + len(self.failed_deliveries) + len(self.wrong_codes)


@dataclass(frozen=True)
class SentMessage:
    id: int
    to_phone: str
    kind: str
    channel: str
    status: str
    body: str  # as kept: a code in it starred out once sent
    created_at: datetime


@dataclass(frozen=True)
class OrderStory:
    order: OrderView
    restaurant: str
    customer_phone: str
    events: tuple[AuditEntry, ...]  # oldest first: the order, its payments, deliveries and handover tries
    messages: tuple[SentMessage, ...]  # oldest first: every message about it


def _seconds(now: datetime, then: datetime) -> int:
    return max(int((now - then).total_seconds()), 0)


async def live_orders(units: Units, *, restaurant_id: int | None = None, city: str | None = None,
                      limit: int = LIVE_MOST) -> list[LiveOrder]:
    """The orders not yet finished, across restaurants (or one, or one city), oldest first."""
    if not 1 <= limit <= LIVE_MOST:
        raise BadInput(f"limit: from 1 to {LIVE_MOST}")
    over = [s.value for s in FINAL] + [S.DRAFT.value]
    query = (select(Order, Restaurant.name).join(Restaurant, Restaurant.id == Order.restaurant_id)
             .where(Order.status.not_in(over)))
    if restaurant_id is not None:
        query = query.where(Order.restaurant_id == restaurant_id)
    if city:
        query = query.where(Order.city == city)
    async with units.unit() as unit:
        now = unit.now()
        rows = (await unit.session.execute(query.order_by(Order.created_at, Order.id).limit(limit))).all()
        jobs = await _newest_jobs(unit, [order.id for order, _ in rows])
        drivers = await _phones(unit, {j.driver_account_id for j in jobs.values() if j.driver_account_id})
    found = []
    for order, name in rows:
        job = jobs.get(order.id)
        found.append(LiveOrder(
            code=order.code, status=order.status, restaurant_id=order.restaurant_id, restaurant=name, city=order.city,
            channel=order.channel, fulfilment=order.fulfilment, payment_method=order.payment_method,
            total_xaf=order.total_xaf, created_at=order.created_at, changed_at=order.updated_at,
            age_s=_seconds(now, order.created_at), still_s=_seconds(now, order.updated_at),
            delivery=job.status if job else None,
            driver_phone=drivers.get(job.driver_account_id) if job and job.driver_account_id else None,
        ))
    return found


async def alerts(units: Units, rules: AlertRules = AlertRules()) -> Alerts:
    """Orders no restaurant has answered for a while, delivery jobs no driver takes, failed
    deliveries waiting for support, and deliveries where the driver gave a wrong handover code."""
    async with units.unit() as unit:
        now = unit.now()
        names = dict((await unit.session.execute(select(Restaurant.id, Restaurant.name))).all())
        waiting = await unit.session.scalars(
            select(Order).where(Order.status == S.PENDING_RESTAURANT.value,
                                Order.reached_restaurant_at <= now - timedelta(seconds=rules.unaccepted_after_s))
            .order_by(Order.reached_restaurant_at, Order.id)
        )
        unaccepted = tuple(
            Alert("unaccepted", o.code, o.restaurant_id, names.get(o.restaurant_id, ""), o.status,
                  o.reached_restaurant_at, _seconds(now, o.reached_restaurant_at))
            for o in waiting
        )
        open_jobs = await unit.session.scalars(
            select(DeliveryJob).where(DeliveryJob.status.in_([s.value for s in JOB_OPEN]),
                                      DeliveryJob.created_at <= now - timedelta(seconds=rules.no_driver_after_s))
            .order_by(DeliveryJob.created_at, DeliveryJob.id)
        )
        no_driver = tuple(
            Alert("no_driver", j.order.code, j.order.restaurant_id, names.get(j.order.restaurant_id, ""), j.order.status,
                  j.created_at, _seconds(now, j.created_at))
            for j in open_jobs if j.order.status not in FINAL
        )
        failed = list(await unit.session.scalars(
            select(Order).where(Order.status == S.DELIVERY_FAILED.value).order_by(Order.updated_at, Order.id)
        ))
        reasons = await _fail_reasons(unit, [o.code for o in failed])
        failed_jobs = await _newest_jobs(unit, [o.id for o in failed])
        tried = list(await unit.session.scalars(
            select(DeliveryJob).where(DeliveryJob.wrong_codes > 0, DeliveryJob.status.in_([s.value for s in ACTIVE]))
            .order_by(DeliveryJob.updated_at, DeliveryJob.id)
        ))
        drivers = await _phones(unit, {j.driver_account_id for j in [*tried, *failed_jobs.values()] if j.driver_account_id})
    failed_deliveries = tuple(
        Alert("failed_delivery", o.code, o.restaurant_id, names.get(o.restaurant_id, ""), o.status, o.updated_at,
              _seconds(now, o.updated_at), reason=reasons.get(o.code),
              driver_phone=drivers.get(getattr(failed_jobs.get(o.id), "driver_account_id", None)))
        for o in failed
    )
    wrong_codes = tuple(
        Alert("wrong_codes", j.order.code, j.order.restaurant_id, names.get(j.order.restaurant_id, ""), j.order.status,
              j.updated_at, _seconds(now, j.updated_at), wrong_codes=j.wrong_codes,
              driver_phone=drivers.get(j.driver_account_id))
        for j in tried
    )
    return Alerts(unaccepted, no_driver, failed_deliveries, wrong_codes)


async def order_story(units: Units, code: str) -> OrderStory:
    """One order with everything recorded about it, oldest first."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        customer = await unit.session.get(Account, order.account_id)
        references = select(Payment.reference).where(Payment.order_id == order.id)
        events = await unit.session.scalars(
            select(AuditEvent).where(or_(
                (AuditEvent.entity.in_(ORDER_ENTITIES)) & (AuditEvent.entity_ref == order.code),
                (AuditEvent.entity == "payment") & AuditEvent.entity_ref.in_(references),
            )).order_by(AuditEvent.at, AuditEvent.id)
        )
        entries = tuple(AuditEntry(e.id, e.entity, e.entity_ref, e.trigger, e.from_state, e.to_state, e.actor, e.reason,
                                   e.data or {}, e.at) for e in events)
        sent = await unit.session.scalars(
            select(OutboxMessage).where(OutboxMessage.order_id == order.id).order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
        messages = tuple(SentMessage(m.id, m.to_phone, m.kind, m.channel, m.status, m.redacted_body or m.body, m.created_at)
                         for m in sent)
        return OrderStory(view_of(order), restaurant.name, customer.phone, entries, messages)


async def _newest_jobs(unit, order_ids: list[int]) -> dict[int, DeliveryJob]:
    """Each order's newest delivery job (a failed delivery sent again has a newer one)."""
    if not order_ids:
        return {}
    jobs = await unit.session.scalars(select(DeliveryJob).where(DeliveryJob.order_id.in_(order_ids)).order_by(DeliveryJob.id))
    return {job.order_id: job for job in jobs}


async def _phones(unit, account_ids: set[int]) -> dict[int, str]:
    if not account_ids:
        return {}
    return dict((await unit.session.execute(select(Account.id, Account.phone).where(Account.id.in_(account_ids)))).all())


async def _fail_reasons(unit, codes: list[str]) -> dict[str, str | None]:
    """The reason the driver gave when each delivery failed, from the audit log."""
    if not codes:
        return {}
    rows = await unit.session.execute(
        select(AuditEvent.entity_ref, AuditEvent.reason).where(
            AuditEvent.entity == "order", AuditEvent.trigger == "fail_delivery", AuditEvent.entity_ref.in_(codes)
        ).order_by(AuditEvent.id)
    )
    return dict(rows.all())
