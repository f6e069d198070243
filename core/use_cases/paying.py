"""Paying for an order after the first try failed: a new mobile-money prompt, or cash instead.

The same functions answer SMS 1 and 2, the USSD menu and the app. A refusal is
`core.payment_retry.NoOffer`, carrying the order as plain values and why no second chance stands.
"""
from dataclasses import dataclass

from core import payment_retry
from core.db import Unit, Units
from core.errors import NotFound
from core.models import Account, Order
from core.order_views import OrderView, view_of
from core.orders import order_by_code


@dataclass(frozen=True)
class Prompted:
    order: OrderView
    payment_reference: str
    payment_status: str
    amount_xaf: int
    payer_phone: str | None
    wakes: tuple[str, ...] = ("payments",)  # the worker sends the new prompt once this is committed


async def try_again(units: Units, *, account_id: int, code: str | None, window_s: int) -> Prompted:
    """A new payment with the same method and payer; with no code, the newest order offered one."""
    async with units.unit() as unit:
        order, customer = await _offered(unit, account_id, code)
        try:
            payment = await payment_retry.try_again(unit, order, customer, window_s=window_s)
        except payment_retry.NoOffer as refused:
            raise _plain(refused) from None
        return Prompted(view_of(order), payment.reference, payment.status, payment.amount_xaf, payment.payer_phone)


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
