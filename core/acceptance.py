"""The restaurant's acceptance window: a reminder halfway, expiry at the end.

An order that reaches a restaurant must be answered within the window (CHOPBAR_ACCEPT_TIMEOUT,
counted from when it reached the console). Halfway, the console and its backup contact get
a reminder; at the end the order EXPIRES, the customer is told it is cancelled and, if they paid, how
the money comes back.
"""
from datetime import timedelta

from sqlalchemy import select

from core import notices, outbox, payments
from core.db import Unit
from core.models import Account, Order, Restaurant
from core.orders import move
from state_machines.order import OrderStatus

BATCH = 100


async def waiting_since(unit: Unit, before) -> list[Order]:
    query = (
        select(Order)
        .where(Order.status == OrderStatus.PENDING_RESTAURANT.value, Order.reached_restaurant_at <= before)
        .order_by(Order.reached_restaurant_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return list(await unit.session.scalars(query))


async def remind_and_expire(unit: Unit, timeout_s: int) -> int:
    """One pass: reminders for orders past half their window, expiry for those past all of it.

    Returns the orders expired; reminders are queued once each (by their dedupe key) and need
    no second pass.
    """
    now = unit.now()
    done = 0
    for order in await waiting_since(unit, now - timedelta(seconds=timeout_s)):
        await expire(unit, order)
        done += 1
    for order in await waiting_since(unit, now - timedelta(seconds=timeout_s / 2)):
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        for phone in filter(None, (restaurant.phone, restaurant.backup_phone)):
            await outbox.enqueue(
                unit, phone, notices.reminder_for_restaurant(order, timeout_s, restaurant.language),
                kind="order.reminder", order_id=order.id, dedupe_key=f"order:{order.code}:reminder:{phone}",
            )
    return done


async def expire(unit: Unit, order: Order) -> None:
    await move(unit, order, "expire", actor="system", reason="no answer from the restaurant in time")
    order.cancelled_by, order.cancel_reason = "system", "restaurant did not answer"
    paid = await payments.refund_if_paid(unit, order)
    customer = await unit.session.get(Account, order.account_id)
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    await outbox.enqueue(
        unit, customer.phone, notices.order_expired(order, restaurant, paid, order.language),
        kind="order.expired", order_id=order.id, dedupe_key=f"order:{order.code}:expired",
    )
    await outbox.enqueue(
        unit, restaurant.phone, notices.order_expired_for_restaurant(order, restaurant.language),
        kind="order.expired_for_restaurant", order_id=order.id, dedupe_key=f"order:{order.code}:expired_restaurant",
    )
