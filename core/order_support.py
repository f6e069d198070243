"""What support does to an order gone wrong: void it from the kitchen with a refund, and settle
a failed delivery by refunding it or sending the food out again. Everyone concerned is told."""
from sqlalchemy import func, select

from core import audit, delivery, notices, outbox, support_notices
from core.accepting import open_job
from core.db import Unit
from core.i18n import translate
from core.models import Account, DeliveryJob, Order, Payment, Restaurant
from core.orders import move, order_by_code
from core.payments import paid_payment, refund_part
from state_machines.delivery import DeliveryFlow, DeliveryStatus

CALLED_OFF = (DeliveryStatus.UNASSIGNED.value, DeliveryStatus.OFFERED.value, DeliveryStatus.ASSIGNED.value,
              DeliveryStatus.AT_PICKUP.value)
SETTLE_ACTIONS = ("refund", "resend")


async def _tell(unit: Unit, order: Order, phone: str, body: str, kind: str) -> None:
    await outbox.about_order(unit, order, phone, body, kind)


async def _refund_all(unit: Unit, order: Order, *, actor: str, reason: str) -> Payment | None:
    """What the order's payment took and has not given back, on its way back through the provider;
    None when nothing was taken (cash not yet collected, a payment not approved)."""
    payment = await paid_payment(unit, order)
    if payment is None or payment.method == "cash" or payment.refunded_xaf >= payment.amount_xaf:
        return None
    return await refund_part(unit, order, None, actor=actor, reason=reason)


def _with_refund(text: str, refund: Payment | None, language: str) -> str:
    promise = notices.refund_promise(refund, language) if refund is not None else translate(notices.PAY_NOTHING, language)
    return f"{text} {promise}"


async def void(unit: Unit, code: str, *, actor: str, reason: str) -> tuple[Order, Payment | None]:
    """An order accepted (preparing, or ready) is cancelled by support: a delivery not yet picked
    up is called off, the money goes back, and the customer, restaurant and driver are told."""
    order = await order_by_code(unit, code, for_update=True)
    await move(unit, order, "void", actor=actor, reason=reason)
    order.cancelled_by, order.cancel_reason = "support", reason[:160]
    job = await delivery.job_for(unit, order.code)
    if job is not None and job.status in CALLED_OFF:
        driver_id = job.driver_account_id
        audit.change(unit, DeliveryFlow(job), "cancel", actor=actor, reason=reason)
        if driver_id is not None:
            driver = await unit.session.get(Account, driver_id)
            await _tell(unit, order, driver.phone, support_notices.voided_for_driver(order, driver.language), "delivery.voided")
    refund = await _refund_all(unit, order, actor=actor, reason=reason)
    customer = await unit.session.get(Account, order.account_id)
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    await _tell(unit, order, customer.phone,
                _with_refund(support_notices.voided_for_customer(order, reason, order.language), refund, order.language),
                "order.voided")
    await _tell(unit, order, restaurant.phone, support_notices.voided_for_restaurant(order, reason, restaurant.language),
                "order.voided_for_restaurant")
    return order, refund


async def settle_failed(unit: Unit, code: str, action: str, *, actor: str, reason: str) -> tuple[Order, Payment | None]:
    """A failed delivery, settled: `refund` closes the order and gives the money back; `resend`
    makes the order ready again with a new delivery job, offered to drivers as any other."""
    if action not in SETTLE_ACTIONS:
        raise ValueError(f"unknown settlement {action!r}")
    order = await order_by_code(unit, code, for_update=True)
    customer = await unit.session.get(Account, order.account_id)
    if action == "refund":
        await move(unit, order, "write_off", actor=actor, reason=reason)
        order.cancelled_by, order.cancel_reason = "support", reason[:160]
        refund = await _refund_all(unit, order, actor=actor, reason=reason)
        await _tell(unit, order, customer.phone,
                    _with_refund(support_notices.written_off(order, order.language), refund, order.language), "order.written_off")
        return order, refund
    await move(unit, order, "resend", actor=actor, reason=reason)
    order.handover_code = None  # the next pickup sends a new one
    await open_job(unit, order)
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    # Kinds name the job: a second resend of the same order is told again.
    round_ = await unit.session.scalar(select(func.count(DeliveryJob.id)).where(DeliveryJob.order_id == order.id))
    await outbox.enqueue(unit, customer.phone, support_notices.resent_for_customer(order, order.language),
                         kind="order.resent", order_id=order.id, dedupe_key=f"order:{order.code}:resent:{round_}:{customer.phone}")
    await outbox.enqueue(unit, restaurant.phone, support_notices.resent_for_restaurant(order, restaurant.language),
                         kind="order.resent_for_restaurant", order_id=order.id,
                         dedupe_key=f"order:{order.code}:resent:{round_}:{restaurant.phone}")
    return order, None
