"""Paying for an app order: start the payment, read its status.

An order placed with MTN MoMo or Orange Money already has its payment opened, and the worker
sends the prompt to the payer's phone at once; starting it from the app wakes the worker and may
first change the number that pays, while no prompt has gone out. A card order gets a Stripe
PaymentIntent, created while the app waits, whose `client_secret` the app confirms with Stripe's
SDK; Stripe's signed webhook then says it succeeded. Payment starts are limited to 3 in 5 minutes
per account, and need an `Idempotency-Key`.

The client secret is never stored in clear. The start's answer is kept for its Idempotency-Key
with the secret encrypted (`channels.api.sealing`: AES-GCM under a key derived from the JWT
secret, bound to the account and the key), and a replay gives it back in clear, so an app that
lost the first answer can still confirm the card. A replay needs no call to Stripe. A new key
asks Stripe again, whose own idempotency key returns the same PaymentIntent and secret.
"""
from datetime import datetime
from typing import Literal

from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.limits import PAYMENT, check
from channels.api.orders import visible_order
from channels.api.schemas import Phone, Shape
from channels.keys import DATABASE, PAYMENTS, RATES, WAKE
from core.errors import Conflict, NotFound, Unavailable
from core.order_views import OrderView
from core.payments import WAITING
from core.phones import to_e164
from core.use_cases import paying
from core.use_cases.paying import PaymentView


class StartPayment(Shape):
    payer_phone: Phone | None = Field(None, description="mobile money: the number that pays, if not the one on the order")


class PaymentOut(Shape):
    reference: str
    method: Literal["cash", "mtn", "orange", "card"]
    provider: str
    status: str = Field(description="CREATED, PENDING, UNKNOWN (being checked), SUCCEEDED, FAILED, EXPIRED, REFUNDED...")
    amount_xaf: int
    refunded_xaf: int
    payer_phone: str | None
    expires_at: datetime | None
    client_secret: str | None = Field(None, description="card payments: confirm it with Stripe's SDK")

    @classmethod
    def of(cls, payment: PaymentView, client_secret: str | None = None) -> "PaymentOut":
        return cls(
            reference=payment.reference, method=payment.method, provider=payment.provider, status=payment.status,
            amount_xaf=payment.amount_xaf, refunded_xaf=payment.refunded_xaf, payer_phone=payment.payer_phone,
            expires_at=payment.expires_at, client_secret=client_secret,
        )


async def _payment(call: Call, order: OrderView) -> PaymentView:
    payment = await paying.payment_of(call.app[DATABASE], order)
    if payment is None:
        raise NotFound(f"order {order.code} has no payment")
    return payment


@endpoint("GET", "/api/v1/orders/{code}/payment", tag="payments", response=PaymentOut, etag=True,
          summary="The order's payment and where it stands", roles="who may read the order")
async def status(call: Call) -> PaymentOut:
    return PaymentOut.of(await _payment(call, await visible_order(call)))


@endpoint("POST", "/api/v1/orders/{code}/payment", tag="payments", body=StartPayment, response=PaymentOut, status=202,
          idempotent=True, summary="Start paying: the mobile-money prompt goes out, or a card's client secret comes back",
          roles="the order's customer; 3 starts in 5 minutes")
async def start(call: Call) -> PaymentOut:
    order = await visible_order(call)
    if order.account_id != call.account_id:
        raise NotFound(f"no order {order.code}")
    await check(call.app[RATES], f"payment:{call.account_id}", PAYMENT)
    payment = await _payment(call, order)
    if payment.method == "cash":
        raise Conflict(f"order {order.code} is paid in cash on delivery")
    if payment.status not in WAITING:
        raise Conflict(f"the payment of order {order.code} is {payment.status}: nothing to start")
    if payment.method == "card":
        outcome = await call.app[PAYMENTS].start_now(payment.id)
        if outcome.answer is None or outcome.answer.status != "pending":
            raise Unavailable("card payments cannot be started right now: try again in a moment")
        return PaymentOut.of(await _payment(call, order), client_secret=outcome.answer.reason)
    if call.body.payer_phone:
        payment = await paying.change_payer(call.app[DATABASE], order.code, to_e164(call.body.payer_phone))
    call.app[WAKE].set()
    return PaymentOut.of(payment)
