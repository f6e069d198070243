"""Support settles orders gone wrong, one function per act: void an order from the kitchen with
its refund, settle a failed delivery by refund or by sending it again."""
from dataclasses import dataclass

from core import order_support
from core.db import Units
from core.order_views import OrderView, view_of


@dataclass(frozen=True)
class Settled:
    order: OrderView
    refund_xaf: int  # on its way back to the payer now; 0 when nothing was taken
    payment_reference: str | None
    wakes: tuple[str, ...]  # what the worker should do now: send a refund, dispatch a job


async def void(units: Units, code: str, *, actor: str, reason: str) -> Settled:
    """An accepted (preparing or ready) order cancelled by support, its money given back."""
    async with units.unit() as unit:
        order, refund = await order_support.void(unit, code, actor=actor, reason=reason)
        return _settled(order, refund, ("payments",) if refund else ())


async def settle_failed_delivery(units: Units, code: str, action: str, *, actor: str, reason: str) -> Settled:
    """A failed delivery refunded (`refund`) or sent again with a new delivery job (`resend`)."""
    async with units.unit() as unit:
        order, refund = await order_support.settle_failed(unit, code, action, actor=actor, reason=reason)
        return _settled(order, refund, ("payments",) if refund else ("dispatch",) if action == "resend" else ())


def _settled(order, refund, wakes) -> Settled:
    return Settled(view_of(order), refund.refund_due_xaf if refund else 0, refund.reference if refund else None, wakes)
