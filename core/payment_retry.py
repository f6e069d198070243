"""A second chance to pay: after a first declined or expired mobile-money prompt, try again or pay cash.

The first time an order's MTN or Orange payment is declined or expires while the order
awaits payment, the order stays AWAITING_PAYMENT until `payment_retry_until` and the
customer gets one SMS: reply 1 (a new prompt, same method and payer), 2 (cash: the order goes
to the restaurant now), or dial the USSD code and finish it there. A second decline or
expiry, or the window passing unanswered, cancels the order as a failed payment always has.
`payment_retry_until` stays set once an offer was made: it is how a second failure knows.
"""
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from core import audit, notices, outbox, payments
from core.accepting import reach_restaurant
from core.db import Unit
from core.errors import Conflict, NotFound
from core.models import Account, Order, Payment, Restaurant
from core.order_views import OrderView
from state_machines.order import OrderFlow, OrderStatus
from state_machines.payment import PaymentStatus

BATCH = 100
UNANSWERED = (PaymentStatus.FAILED.value, PaymentStatus.EXPIRED.value)


@dataclass(frozen=True)
class RetryRules:
    window_s: int = 900  # CHOPBAR_PAYMENT_RETRY_WINDOW
    ussd_code: str = "*384*2468#"  # CHOPBAR_USSD_CODE, named in the offer

    async def offer(self, unit: Unit, order: Order, payment: Payment, *, declined: bool) -> bool:
        """`offer` by these rules: what `core.payments` calls when a payment did not go through
        (the rules travel with the call, so payments need not know this module)."""
        return await offer(unit, order, payment, declined=declined, rules=self)


class NoOffer(Conflict):
    """A 1 or 2 when no second chance stands; `why` says which short answer fits:

    `lapsed` (the window passed or the order was cancelled for want of payment), `waiting`
    (a payment request is on its way), `settled` (the order has moved on), `none`.
    """

    code = "no_retry_offer"

    def __init__(self, order: "Order | OrderView | None", why: str) -> None:
        what = f"order {order.code}" if order is not None else "no order"
        super().__init__(f"{what}: no second chance to pay stands ({why})")
        self.order = order
        self.why = why


@dataclass(frozen=True)
class Offer:
    """A standing second chance: the order, its failed payment, and the minutes left."""

    order: Order
    failed: Payment
    minutes_left: int


async def offer(unit: Unit, order: Order, payment: Payment, *, declined: bool, rules: RetryRules) -> bool:
    """Keeps an order whose mobile-money payment failed for the first time waiting, and tells
    the customer once; False when no second chance is due (cash or card, or already offered)."""
    if rules.window_s <= 0 or payment.method not in payments.MOBILE_MONEY or order.payment_retry_until is not None:
        return False
    order.payment_retry_until = unit.now() + timedelta(seconds=rules.window_s)
    audit.record(
        unit, "order", order.code, "offer_retry", actor="system", from_state=order.status, to_state=order.status,
        reason="payment declined" if declined else "payment not approved in time",
        data={"payment": payment.reference, "until": order.payment_retry_until.isoformat()},
    )
    customer = await unit.session.get(Account, order.account_id)
    body = notices.payment_retry_offered(
        order, declined=declined, minutes=math.ceil(rules.window_s / 60), ussd_code=rules.ussd_code, language=order.language
    )
    await outbox.about_order(unit, order, customer.phone, body, "payment.retry_offered")
    return True


async def standing(unit: Unit, order: Order) -> Offer:
    """The order's second chance, if it stands now; NoOffer says why not."""
    if order.payment_retry_until is None:
        waiting = order.status == OrderStatus.AWAITING_PAYMENT.value
        raise NoOffer(order, "waiting" if waiting else "none")
    if order.status == OrderStatus.CANCELLED.value and order.cancelled_by == "payment":
        raise NoOffer(order, "lapsed")
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        raise NoOffer(order, "settled")
    latest = await payments.payment_for(unit, order)
    if latest is None or latest.status not in UNANSWERED:
        raise NoOffer(order, "waiting")  # answered already: a new prompt is on its way
    left = (order.payment_retry_until - unit.now()).total_seconds()
    if left <= 0:
        raise NoOffer(order, "lapsed")
    return Offer(order, latest, math.ceil(left / 60))


async def offered_order(unit: Unit, account_id: int) -> Order | None:
    """The order a bare 1 or 2 answers: the newest with a second chance open, else the newest."""
    open_offer = await unit.session.scalar(
        select(Order)
        .where(
            Order.account_id == account_id,
            Order.status == OrderStatus.AWAITING_PAYMENT.value,
            Order.payment_retry_until > unit.now(),
        )
        .order_by(Order.id.desc())
        .limit(1)
    )
    if open_offer is not None:
        return open_offer
    return await unit.session.scalar(select(Order).where(Order.account_id == account_id).order_by(Order.id.desc()).limit(1))


def _own(order: Order | None, customer: Account) -> Order:
    if order is None:
        raise NoOffer(None, "none")
    if order.account_id != customer.id:
        raise NotFound(f"no order {order.code}")
    return order


async def try_again(unit: Unit, order: Order | None, customer: Account, *, window_s: int) -> Payment:
    """Reply 1: a new payment with the same method and payer, prompted by the worker as any
    new payment is (the caller wakes it). A second failure of it cancels the order."""
    chance = await standing(unit, _own(order, customer))
    payment = await payments.open_payment(unit, chance.order, window_s=window_s)
    audit.record(
        unit, "order", chance.order.code, "retry_payment", actor=f"customer:{customer.phone}",
        from_state=chance.order.status, to_state=chance.order.status, data={"payment": payment.reference},
    )
    return payment


async def pay_cash_instead(unit: Unit, order: Order | None, customer: Account, *, window_s: int) -> Order:
    """Reply 2: the order goes ahead as cash on delivery (or at the counter), to the
    restaurant now, which gets its new-order SMS and its acceptance window."""
    chance = await standing(unit, _own(order, customer))
    order = chance.order
    was = order.payment_method
    audit.change(unit, OrderFlow(order), "pay_cash", actor=f"customer:{customer.phone}", reason=f"{was} payment failed",
                 data={"from": was}, now=unit.now())  # the guard asks whether the offer still stands
    order.payment_method = "cash"
    await payments.open_payment(unit, order, window_s=window_s)  # due, collected by the driver
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    await reach_restaurant(unit, order, restaurant)
    return order


async def give_up_lapsed(unit: Unit) -> int:
    """One pass: orders whose second chance passed unanswered are cancelled, the customer told
    as for any payment that did not come. Returns how many."""
    # An order whose customer tried again has an open payment: that payment's own window decides.
    retrying = select(Payment.id).where(Payment.order_id == Order.id, Payment.status.in_(payments.WAITING)).exists()
    query = (
        select(Order)
        .where(Order.status == OrderStatus.AWAITING_PAYMENT.value, Order.payment_retry_until <= unit.now(), ~retrying)
        .order_by(Order.payment_retry_until)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Order)
    )
    done = 0
    for order in await unit.session.scalars(query):
        latest = await payments.payment_for(unit, order)
        declined = latest is not None and latest.status == PaymentStatus.FAILED.value
        await payments.cancel_unpaid(unit, order, declined=declined, reason="no answer to the second chance to pay")
        done += 1
    return done
