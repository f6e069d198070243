"""What customers and restaurants do to an order after it is placed, and who is told."""
from core import accepting, delivery, feedback, notices, outbox, payments
from core.db import Unit
from core.errors import BadInput, Forbidden
from core.models import Account, Order, Restaurant
from core.orders import move
from state_machines.order import OrderStatus


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
    return await accepting.accept(unit, order, restaurant, actor=actor, minutes=minutes)


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


async def collect(unit: Unit, order: Order, restaurant: Restaurant, *, actor: str) -> bool:
    """The customer took a pickup order at the counter: cash taken there goes in the till, the
    held money is split as for a delivery without the driver, and the order completes.

    False, changing nothing, when it was collected already; a delivery order cannot be."""
    _own(order, restaurant)
    if order.fulfilment == "pickup" and order.status in (OrderStatus.COLLECTED, OrderStatus.COMPLETED):
        return False
    await move(unit, order, "collect", actor=actor)
    if order.payment_method == payments.CASH:
        await payments.collect_cash_at_counter(unit, order)
    await delivery.settle(unit, order, None)
    await move(unit, order, "complete", actor="system")
    await _tell_customer(unit, order, notices.order_collected(order, restaurant, order.language), "order.collected")
    await feedback.ask(unit, order, None)
    return True
