"""Payments in the domain: opening one for an order, applying what the provider says, refunds.

Providers are reached from `channels`; this module only decides. A mobile-money payment is
marked paid only on the provider's status answer (a callback alone is a hint), and every
movement of money goes to the ledger in the same transaction as the change that causes it.
"""
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core import audit, ledger, loyalty, notices, outbox
from core.accepting import reach_restaurant
from core.db import Unit
from core.errors import BadInput, Conflict, IllegalTransition
from core.models import Account, Order, Payment, Restaurant
from core.order_views import OrderView
from core.orders import move
from state_machines.order import OrderStatus
from state_machines.payment import PaymentFlow, PaymentStatus

if TYPE_CHECKING:  # the second chance's rules come with each call; see RetryRules.offer
    from core.payment_retry import RetryRules

MOBILE_MONEY = ("mtn", "orange")
CASH = "cash"  # the method, and who collects it: the driver, by hand, not a provider
WAITING = (PaymentStatus.CREATED.value, PaymentStatus.PENDING.value, PaymentStatus.UNKNOWN.value)
PAID = (PaymentStatus.SUCCEEDED.value, PaymentStatus.PARTIALLY_REFUNDED.value)


@dataclass(frozen=True)
class ProviderAnswer:
    """What a provider says of one payment: pending, successful, failed, or not found."""

    status: str
    provider_reference: str | None = None
    reason: str | None = None
    operator: str | None = None


def new_payment(unit: Unit, order: Order, *, window_s: int) -> Payment:
    """The payment an order needs, not yet stored: mobile money and cards are asked for, cash is
    due on delivery. An order being placed has no id yet: its write fills `order_id` in."""
    now = unit.now()
    payment = Payment(
        reference=str(uuid.uuid4()), order_id=order.id, method=order.payment_method,
        provider=CASH if order.payment_method == CASH else "",  # otherwise chosen when it is asked for
        status=PaymentStatus.CREATED.value,
        amount_xaf=order.total_xaf, payer_phone=order.payer_phone, created_at=now, updated_at=now,
        expires_at=now + timedelta(seconds=window_s), next_check_at=now,
    )
    if order.payment_method == "cash":
        payment.status = PaymentStatus.PENDING.value  # due: the driver collects it
        payment.next_check_at = None
    return payment


async def open_payment(unit: Unit, order: Order, *, window_s: int) -> Payment:
    """A new payment for a stored order (a second chance, a switch to cash)."""
    payment = new_payment(unit, order, window_s=window_s)
    unit.session.add(payment)
    await unit.session.flush()
    return payment


async def payment_for(unit: Unit, order: Order | OrderView) -> Payment | None:
    """The order's newest payment (an order given a second chance has two)."""
    return await unit.session.scalar(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id.desc()))


async def paid_payment(unit: Unit, order: Order) -> Payment | None:
    """The payment that took the order's money, which need not be its newest: a first prompt
    approved late pays the order while a second-chance prompt was open."""
    return await unit.session.scalar(
        select(Payment).where(Payment.order_id == order.id, Payment.status.in_(PAID)).order_by(Payment.id.desc())
    )


def _fire(unit: Unit, payment: Payment, trigger: str, *, actor: str, reason: str | None = None, **data) -> None:
    audit.change(unit, PaymentFlow(payment), trigger, actor=actor, reason=reason, **data)


async def _tell(unit: Unit, phone: str, body: str, kind: str, order: Order) -> None:
    await outbox.about_order(unit, order, phone, body, kind)


async def requested(unit: Unit, payment: Payment, provider: str, answer: ProviderAnswer) -> None:
    """The provider took the request: the payer now has a prompt on the phone."""
    payment.provider = provider
    payment.provider_reference = answer.provider_reference or payment.provider_reference
    payment.operator = answer.operator or payment.operator
    if payment.status == PaymentStatus.UNKNOWN.value:
        _fire(unit, payment, "resume", actor=f"provider:{provider}")
    elif payment.status == PaymentStatus.CREATED.value:
        _fire(unit, payment, "request", actor=f"provider:{provider}")
    order = await unit.session.get(Order, payment.order_id)
    customer = await unit.session.get(Account, order.account_id)
    if payment.payer_phone and payment.payer_phone != customer.phone:
        await _tell(unit, payment.payer_phone, notices.pay_for_someone(order, customer, order.language), "payment.prompt_other", order)
        await _tell(unit, customer.phone, notices.prompt_sent_to(order, payment.payer_phone, order.language), "payment.prompt_sent", order)


async def apply_answer(
    unit: Unit, payment: Payment, answer: ProviderAnswer, *, actor: str, retry: "RetryRules | None" = None
) -> None:
    """Moves the payment (and its order) by the provider's status answer; repeats change nothing.

    With `retry`, a first decline of a mobile-money payment offers a second chance instead of
    cancelling the order (`core.payment_retry`).
    """
    status = payment.status
    if answer.operator:
        payment.operator = answer.operator
    if answer.status == "successful" and status in (*WAITING, PaymentStatus.EXPIRED.value):
        await _succeeded(unit, payment, late=status == PaymentStatus.EXPIRED.value, actor=actor)
    elif answer.status == "failed" and status in WAITING:
        _fire(unit, payment, "fail", actor=actor, reason=answer.reason)
        payment.last_error = (answer.reason or "declined")[:240]
        await _order_unpaid(unit, payment, "payment.failed", retry)
    elif answer.status == "pending" and status == PaymentStatus.UNKNOWN.value:
        _fire(unit, payment, "resume", actor=actor)


async def _succeeded(unit: Unit, payment: Payment, *, late: bool, actor: str) -> None:
    _fire(unit, payment, "succeed_late" if late else "succeed", actor=actor)
    order = await unit.session.get(Order, payment.order_id)
    ledger.post(
        unit, "capture", [(f"provider:{payment.provider}", payment.amount_xaf), (ledger.escrow(order), -payment.amount_xaf)],
        order_id=order.id, payment_id=payment.id,
    )
    customer = await unit.session.get(Account, order.account_id)
    if order.status == OrderStatus.AWAITING_PAYMENT.value:
        await loyalty.earn(unit, order, payment.amount_xaf)
        await move(unit, order, "confirm", actor=actor)
        await _close_others(unit, order, payment)
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await reach_restaurant(unit, order, restaurant)
        await _tell(unit, customer.phone, notices.payment_received(order, order.language), "payment.received", order)
    else:  # the order was given up (or paid another way) before the money came: it goes back
        payment.refund_due_xaf = payment.amount_xaf - payment.refunded_xaf
        await _tell(unit, customer.phone, notices.late_payment_refunded(order, payment, order.language), "payment.late", order)


async def _close_others(unit: Unit, order: Order, paid: Payment) -> None:
    """An order paid by one payment needs no other: a second-chance prompt still open expires
    (and is watched, so that a late approval of it is refunded)."""
    others = await unit.session.scalars(
        select(Payment).where(Payment.order_id == order.id, Payment.id != paid.id, Payment.status.in_(WAITING))
    )
    for other in others:
        asked = other.status != PaymentStatus.CREATED.value
        _fire(unit, other, "expire", actor="system", reason=f"order paid by payment {paid.reference}")
        if not asked:
            other.next_check_at = None  # never reached a provider: nothing to watch


async def expire(unit: Unit, payment: Payment, *, retry: "RetryRules | None" = None) -> None:
    """No answer from the payer in time: the order is cancelled, or with `retry` offered a second
    chance the first time; a late success is refunded."""
    _fire(unit, payment, "expire", actor="system", reason="no approval in time")
    await _order_unpaid(unit, payment, "payment.expired", retry)


async def _order_unpaid(unit: Unit, payment: Payment, kind: str, retry: "RetryRules | None") -> None:
    order = await unit.session.get(Order, payment.order_id)
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        return
    if (await payment_for(unit, order)).id != payment.id:
        return  # an older payment of the order: the newer one decides
    if retry is not None and await retry.offer(unit, order, payment, declined=kind == "payment.failed"):
        return
    await cancel_unpaid(unit, order, declined=kind == "payment.failed")


async def cancel_unpaid(unit: Unit, order: Order, *, declined: bool, reason: str | None = None) -> None:
    """An order whose payment did not come is cancelled and the customer told, as declined or
    as not approved in time."""
    reason = reason or ("payment declined" if declined else "payment not approved in time")
    await move(unit, order, "cancel", actor="system", reason=reason)
    order.cancelled_by, order.cancel_reason = "payment", reason[:160]
    customer = await unit.session.get(Account, order.account_id)
    body = notices.payment_failed(order, order.language) if declined else notices.payment_expired(order, order.language)
    await _tell(unit, customer.phone, body, "payment.failed" if declined else "payment.expired", order)


def lost_track(unit: Unit, payment: Payment, reason: str) -> None:
    """The provider did not answer: the payment waits for reconciliation by status checks."""
    if payment.status in (PaymentStatus.CREATED.value, PaymentStatus.PENDING.value):
        _fire(unit, payment, "lose_track", actor="system", reason=reason)
    payment.last_error = reason[:240]


async def refund_if_paid(unit: Unit, order: Order) -> Payment | None:
    """An order that will not be served gives the customer's money back (sent by the worker)."""
    payment = await paid_payment(unit, order)
    if payment is None:
        return None
    payment.refund_due_xaf = payment.amount_xaf - payment.refunded_xaf
    payment.next_check_at = unit.now()
    return payment


async def refund_owed(unit: Unit, order: Order) -> Payment | None:
    """The order's payment while money is owed back on it (the worker is sending it)."""
    payment = await paid_payment(unit, order)
    return payment if payment is not None and payment.refund_due_xaf > 0 else None


async def refund_part(unit: Unit, order: Order, amount_xaf: int | None, *, actor: str, reason: str) -> Payment:
    """Support gives back part of what a paid order's payment took, or with None all that is left;
    the worker sends it through the provider as it sends any refund due, audited here.

    One refund at a time: while one is on its way the worker holds the payment, and changing
    what is due under it would lose track of the money. Cash is given back by hand.
    """
    payment = await paid_payment(unit, order) or await payment_for(unit, order)
    if payment is None or payment.status not in PAID:
        raise Conflict(f"order {order.code} is not paid ({payment.status if payment else 'no payment'}): nothing to refund")
    if payment.method == "cash":
        raise Conflict(f"order {order.code} was paid in cash: cash is given back by hand")
    if payment.refund_due_xaf:
        raise Conflict(f"a refund of {payment.refund_due_xaf} XAF for order {order.code} is on its way: retry once it is sent")
    left = payment.amount_xaf - payment.refunded_xaf
    amount = left if amount_xaf is None else amount_xaf
    if not 0 < amount <= left:
        raise BadInput(f"order {order.code} has {left} XAF left to refund: cannot refund {amount} XAF")
    payment.refund_due_xaf = amount
    payment.next_check_at = unit.now()
    await loyalty.refunded(unit, order, amount, paid_xaf=payment.amount_xaf, everything=amount == left)
    audit.record(unit, "payment", payment.reference, "refund_requested", actor=actor, reason=reason,
                 data={"order": order.code, "amount_xaf": amount})
    return payment


async def refunded(unit: Unit, payment: Payment, amount_xaf: int, *, via: str) -> None:
    """The provider sent the money back (or a wallet credit stands in): ledger, state, word."""
    order = await unit.session.get(Order, payment.order_id)
    target = f"provider:{payment.provider}" if via == "provider" else f"wallet:{order.account_id}"
    ledger.post(unit, "refund", [(ledger.escrow(order), amount_xaf), (target, -amount_xaf)], order_id=order.id, payment_id=payment.id)
    _fire(unit, payment, "refund", actor=f"provider:{payment.provider}", amount_xaf=amount_xaf)
    payment.refunded_xaf += amount_xaf
    payment.refund_due_xaf = max(payment.refund_due_xaf - amount_xaf, 0)
    customer = await unit.session.get(Account, order.account_id)
    await _tell(unit, customer.phone, notices.refund_sent(order, payment, amount_xaf, via, order.language), "payment.refunded", order)


async def collect_cash(unit: Unit, order: Order, driver_account_id: int) -> Payment:
    """Cash on delivery: the driver takes the money, which the ledger shows in the driver's hands."""
    return await _cash_taken(unit, order, f"cash:driver:{driver_account_id}", actor=f"driver:{driver_account_id}")


async def collect_cash_at_counter(unit: Unit, order: Order) -> Payment:
    """Cash for a pickup: the restaurant takes it at the counter and keeps it in its till, as the
    ledger shows (what it is owed is reckoned net of that cash)."""
    return await _cash_taken(unit, order, f"cash:restaurant:{order.restaurant_id}", actor=f"restaurant:{order.restaurant_id}")


async def _cash_taken(unit: Unit, order: Order, holder: str, *, actor: str) -> Payment:
    payment = await payment_for(unit, order)
    if payment is None or payment.method != "cash":
        raise IllegalTransition("payment", order.code, payment.status if payment else "none", "collect_cash")
    _fire(unit, payment, "succeed", actor=actor, reason="cash collected")
    ledger.post(
        unit, "cash_collected", [(holder, payment.amount_xaf), (ledger.escrow(order), -payment.amount_xaf)],
        order_id=order.id, payment_id=payment.id,
    )
    await loyalty.earn(unit, order, payment.amount_xaf)
    return payment


async def remit_cash(unit: Unit, driver_account_id: int, amount_xaf: int) -> str:
    """The driver hands cash over to Chopbar (agent or mobile money): it leaves the driver's hands."""
    held = await ledger.balance(unit, f"cash:driver:{driver_account_id}")
    if not 0 < amount_xaf <= held:
        raise BadInput(f"the driver holds {held} XAF in cash; cannot remit {amount_xaf}")
    return ledger.post(
        unit, "cash_remitted", [("provider:cash", amount_xaf), (f"cash:driver:{driver_account_id}", -amount_xaf)]
    )
