"""What operations watch, over REST for support's and admins' tools: the orders under way across
restaurants, the alerts, an order's whole story, and the business in figures (the console's
operations pages read the same use cases)."""
from datetime import date, datetime

from pydantic import Field

from channels.api.admin import SUPPORT, TAG, AuditOut, allow
from channels.api.endpoints import Call, endpoint
from channels.api.schemas import Id, OrderOut, Shape
from channels.keys import DATABASE, SETTINGS
from core.use_cases import business, operations


class LiveQuery(Shape):
    restaurant_id: Id | None = Field(None, description="only this restaurant's orders")
    city: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[A-Za-z' -]+$", description="only this city's")
    limit: int = Field(operations.LIVE_MOST, ge=1, le=operations.LIVE_MOST, description="at most this many, oldest first")


class LiveOrderOut(Shape):
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
    changed_at: datetime
    age_s: int = Field(description="seconds since it was placed")
    still_s: int = Field(description="seconds since its last change")
    delivery: str | None = Field(description="its delivery job's status, when it has one")
    driver_phone: str | None


class LiveOrders(Shape):
    items: list[LiveOrderOut]


class AlertOut(Shape):
    kind: str = Field(description="unaccepted, no_driver, failed_delivery or wrong_codes")
    code: str
    restaurant_id: int
    restaurant: str
    status: str = Field(description="the order's")
    since: datetime
    waited_s: int
    wrong_codes: int
    driver_phone: str | None
    reason: str | None


class AlertsOut(Shape):
    unaccepted: list[AlertOut]
    no_driver: list[AlertOut]
    failed_deliveries: list[AlertOut]
    wrong_codes: list[AlertOut]


class SentOut(Shape):
    id: int
    to_phone: str
    kind: str
    channel: str
    status: str
    body: str = Field(description="as kept: a code in it starred out once sent")
    created_at: datetime


class StoryOut(Shape):
    order: OrderOut
    restaurant: str
    customer_phone: str
    events: list[AuditOut] = Field(description="oldest first: the order, its payments, deliveries and handover tries")
    messages: list[SentOut]


class BusinessQuery(Shape):
    days: int = Field(7, ge=1, le=business.MOST_DAYS, description="local days back, today included")


class DayOut(Shape):
    day: date
    orders: int
    served: int
    cancelled: int
    takings_xaf: int
    commission_xaf: int
    drivers: int = Field(description="drivers who delivered at least once that day")


class ProviderOut(Shape):
    provider: str
    paid: int
    unpaid: int
    open: int
    success_percent: int | None = Field(description="paid of those decided; null while none is")


class StepOut(Shape):
    screen: str
    reached: int
    left: int = Field(description="sessions that ended there without an END screen: people who gave up")


class FunnelOut(Shape):
    dials: int
    placed: int
    steps: list[StepOut]
    given_up: list[StepOut] = Field(description="every screen people left from, most left first")


class BusinessOut(Shape):
    first: date
    last: date
    orders: int
    takings_xaf: int
    commission_xaf: int
    days: list[DayOut]
    online_drivers: int
    approved_drivers: int
    providers: list[ProviderOut]
    funnel: FunnelOut
    orders_by_ussd: int


def _alert(a: operations.Alert) -> AlertOut:
    return AlertOut(kind=a.kind, code=a.code, restaurant_id=a.restaurant_id, restaurant=a.restaurant, status=a.status,
                    since=a.since, waited_s=a.waited_s, wrong_codes=a.wrong_codes, driver_phone=a.driver_phone,
                    reason=a.reason)


def _step(s: business.Step) -> StepOut:
    return StepOut(screen=s.screen, reached=s.reached, left=s.left)


@endpoint("GET", "/api/v1/admin/live-orders", tag=TAG, query=LiveQuery, response=LiveOrders,
          summary="Orders under way across restaurants, oldest first, with their state and age", roles=SUPPORT)
async def live_orders(call: Call) -> LiveOrders:
    allow(call, "support", "admin")
    q: LiveQuery = call.query
    found = await operations.live_orders(call.app[DATABASE], restaurant_id=q.restaurant_id, city=q.city, limit=q.limit)
    return LiveOrders(items=[LiveOrderOut(**vars(o)) for o in found])


@endpoint("GET", "/api/v1/admin/alerts", tag=TAG, response=AlertsOut, roles=SUPPORT,
          summary="Orders no restaurant answers, jobs no driver takes, failed deliveries and wrong handover codes")
async def alerts(call: Call) -> AlertsOut:
    allow(call, "support", "admin")
    found = await operations.alerts(call.app[DATABASE], call.app[SETTINGS].alert_rules())
    return AlertsOut(unaccepted=[_alert(a) for a in found.unaccepted], no_driver=[_alert(a) for a in found.no_driver],
                     failed_deliveries=[_alert(a) for a in found.failed_deliveries],
                     wrong_codes=[_alert(a) for a in found.wrong_codes])


@endpoint("GET", "/api/v1/admin/orders/{code}/story", tag=TAG, response=StoryOut, roles=SUPPORT,
          summary="An order with its whole audit log and every message about it, oldest first")
async def story(call: Call) -> StoryOut:
    allow(call, "support", "admin")
    found = await operations.order_story(call.app[DATABASE], call.path["code"])
    return StoryOut(
        order=OrderOut.of(found.order), restaurant=found.restaurant, customer_phone=found.customer_phone,
        events=[AuditOut(id=e.id, entity=e.entity, ref=e.ref, trigger=e.trigger, from_state=e.from_state,
                         to_state=e.to_state, actor=e.actor, reason=e.reason, data=e.data, at=e.at) for e in found.events],
        messages=[SentOut(**vars(m)) for m in found.messages],
    )


@endpoint("GET", "/api/v1/admin/business", tag=TAG, query=BusinessQuery, response=BusinessOut, roles=SUPPORT,
          summary="Orders, takings and commission per day, drivers, payment success per provider, the USSD funnel")
async def figures(call: Call) -> BusinessOut:
    allow(call, "support", "admin")
    seen = await business.business(call.app[DATABASE], tz=call.app[SETTINGS].timezone, days=call.query.days)
    return BusinessOut(
        first=seen.first, last=seen.last, orders=seen.orders, takings_xaf=seen.takings_xaf,
        commission_xaf=seen.commission_xaf, days=[DayOut(**vars(d)) for d in seen.days],
        online_drivers=seen.online_drivers, approved_drivers=seen.approved_drivers,
        providers=[ProviderOut(provider=p.provider, paid=p.paid, unpaid=p.unpaid, open=p.open,
                               success_percent=p.success_percent) for p in seen.providers],
        funnel=FunnelOut(dials=seen.funnel.dials, placed=seen.funnel.placed, steps=[_step(s) for s in seen.funnel.steps],
                         given_up=[_step(s) for s in seen.funnel.given_up]),
        orders_by_ussd=seen.orders_by_ussd,
    )
