"""What customers and restaurants do to an order after it is placed, and who is told."""
from core import delivery, notices, outbox, payments
from core.db import Unit
from core.errors import BadInput, Forbidden
from core.models import Account, Order, Restaurant
from core.orders import move
from state_machines.order import OrderStatus

MAX_READY_MINUTES = 240


async def _tell_customer(unit: Unit, order: Order, body: str, kind: str) -> None:
    customer = await unit.session.get(Account, order.account_id)
    await outbox.about_order(unit, order, customer.phone, body, kind)


def _own(order: Order, restaurant: Restaurant) -> None:
    if order.restaurant_id != restaurant.id:
        raise Forbidden(f"order {order.code} is not for {restaurant.name}")


async def cancel_by_customer(unit: Unit, order: Order, customer: Account, reason: str = "") -> Order:
    """The customer may cancel until the restaurant accepts; a notified restaurant is told."""
    if order.account_id != customer.id:
        raise Forbidden(f"order {order.code} is not yours")
    was_at_restaurant = order.status == OrderStatus.PENDING_RESTAURANT
    await move(unit, order, "cancel", actor=f"customer:{customer.phone}", reason=reason or "customer")
    order.cancelled_by = "customer"
    order.cancel_reason = reason or None
    await payments.refund_if_paid(unit, order)
    if was_at_restaurant:
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await outbox.enqueue(
            unit,
            restaurant.phone,
            notices.order_cancelled_for_restaurant(order, restaurant.language),
            kind="order.cancelled_for_restaurant",
            order_id=order.id,
            dedupe_key=f"order:{order.code}:cancelled_for_restaurant",
        )
    return order


async def accept(unit: Unit, order: Order, restaurant: Restaurant, *, actor: str, minutes: int | None = None) -> Order:
    _own(order, restaurant)
    if minutes is not None and not 1 <= minutes <= MAX_READY_MINUTES:
        raise BadInput(f"minutes must be between 1 and {MAX_READY_MINUTES}")
    await move(unit, order, "accept", actor=actor, data={"minutes": minutes})
    order.ready_in_minutes = minutes
    await delivery.open_job(unit, order)
    await _tell_customer(unit, order, notices.order_accepted(order, restaurant, order.language), "order.accepted")
    return order


async def reject(unit: Unit, order: Order, restaurant: Restaurant, *, actor: str, reason: str) -> Order:
    _own(order, restaurant)
    reason = reason.strip()
    if not reason:
        raise BadInput("say why the order is rejected")
    await move(unit, order, "reject", actor=actor, reason=reason)
    order.cancel_reason = reason
    order.cancelled_by = "restaurant"
    refund = await payments.refund_if_paid(unit, order)
    body = notices.order_rejected(order, restaurant, reason, refund, order.language)
    await _tell_customer(unit, order, body, "order.rejected")
    return order


async def mark_ready(unit: Unit, order: Order, restaurant: Restaurant, *, actor: str) -> Order:
    _own(order, restaurant)
    await move(unit, order, "mark_ready", actor=actor)
    await _tell_customer(unit, order, notices.order_ready(order, restaurant, order.language), "order.ready")
    return order
