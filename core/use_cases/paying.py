"""Paying for an order: its payment as it stands, another number to pay it, and after a first
try failed, a new mobile-money prompt or cash instead.

The same functions answer SMS 1 and 2, the USSD menu and the app. A refusal of a second chance
is `core.payment_retry.NoOffer`, carrying the order as plain values and why none stands.
"""
from dataclasses import dataclass
from datetime import datetime

from core import payment_retry
from core.db import Unit, Units
from core.errors import Conflict, NotFound
from core.models import Account, Order, Payment
from core.order_views import OrderView, view_of
from core.orders import order_by_code
from core.payments import payment_for
from state_machines.payment import PaymentStatus


@dataclass(frozen=True)
class PaymentView:
    id: int
    reference: str
    method: str
    provider: str
    status: str
    amount_xaf: int
    refunded_xaf: int
    payer_phone: str | None
    expires_at: datetime | None


def payment_view(payment: Payment) -> PaymentView:
    return PaymentView(payment.id, payment.reference, payment.method, payment.provider, payment.status,
                       payment.amount_xaf, payment.refunded_xaf, payment.payer_phone, payment.expires_at)


@dataclass(frozen=True)
class Prompted:
    order: OrderView
    payment: PaymentView
    wakes: tuple[str, ...] = ("payments",)  # the worker sends the new prompt once this is committed


async def payment_of(units: Units, order: OrderView) -> PaymentView | None:
    """The order's newest payment (an order given a second chance has two)."""
    async with units.unit() as unit:
        payment = await payment_for(unit, order)
        return payment_view(payment) if payment is not None else None


async def change_payer(units: Units, code: str, phone: str) -> PaymentView:
    """Another number pays, while no prompt has gone out yet."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await payment_for(unit, order)
        if payment.payer_phone != phone:
            if payment.status != PaymentStatus.CREATED.value:
                raise Conflict("the prompt already went to the paying phone: approve or decline it there first")
            payment.payer_phone = order.payer_phone = phone
        return payment_view(payment)


@dataclass(frozen=True)
class Chance:
    """A second chance standing: the order, and the minutes left to take it."""

    order: OrderView
    minutes_left: int


async def second_chance(units: Units, *, account_id: int, code: str) -> Chance:
    """The second chance the customer's order still has; NoOffer when none stands."""
    async with units.unit() as unit:
        order, _ = await _offered(unit, account_id, code)
        try:
            chance = await payment_retry.standing(unit, order)
        except payment_retry.NoOffer as refused:
            raise _plain(refused) from None
        return Chance(view_of(order), chance.minutes_left)


async def try_again(units: Units, *, account_id: int, code: str | None, window_s: int) -> Prompted:
    """A new payment with the same method and payer; with no code, the newest order offered one."""
    async with units.unit() as unit:
        order, customer = await _offered(unit, account_id, code)
        try:
            payment = await payment_retry.try_again(unit, order, customer, window_s=window_s)
        except payment_retry.NoOffer as refused:
            raise _plain(refused) from None
        return Prompted(view_of(order), payment_view(payment))


async def pay_cash(units: Units, *, account_id: int, code: str | None, window_s: int) -> OrderView:
    """The order goes ahead as cash, to the restaurant now."""
    async with units.unit() as unit:
        order, customer = await _offered(unit, account_id, code)
        try:
            return view_of(await payment_retry.pay_cash_instead(unit, order, customer, window_s=window_s))
        except payment_retry.NoOffer as refused:
            raise _plain(refused) from None


async def _offered(unit: Unit, account_id: int, code: str | None) -> tuple[Order | None, Account]:
    customer = await unit.session.get(Account, account_id)
    if customer is None:
        raise NotFound("this account no longer exists")
    if code is None:
        return await payment_retry.offered_order(unit, account_id), customer
    order = await order_by_code(unit, code)
    if order.account_id != account_id:
        raise NotFound(f"no order {code}")
    return order, customer


def _plain(refused: payment_retry.NoOffer) -> payment_retry.NoOffer:
    return payment_retry.NoOffer(view_of(refused.order) if refused.order is not None else None, refused.why)
