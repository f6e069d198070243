"""An order reaching its restaurant, and the restaurant accepting it: by ACCEPT from the console
or the tablet, or at once when the restaurant has AUTO ON.

Kept apart from `core.payments` and `core.delivery`, which hand orders to the restaurant (a
payment confirmed, a switch to cash) and so cannot be imported from here.
"""
from core import measures, notices, outbox
from core.db import Unit
from core.errors import BadInput, Forbidden
from core.models import Account, DeliveryJob, Order, Restaurant
from core.orders import move, restaurant_notice
from state_machines.delivery import DeliveryStatus

MAX_READY_MINUTES = 240
AUTO_ACTOR = "system:auto_accept"


async def open_job(unit: Unit, order: Order) -> DeliveryJob | None:
    """The restaurant accepted a delivery order: its job waits for a driver."""
    if order.fulfilment != "delivery":
        return None
    now = unit.now()
    job = DeliveryJob(order_id=order.id, status=DeliveryStatus.UNASSIGNED.value, fee_xaf=order.delivery_fee_xaf,
                      offered_to=[], created_at=now, updated_at=now, order=order)
    unit.session.add(job)
    await unit.session.flush()
    return job


async def accept(unit: Unit, order: Order, restaurant: Restaurant, *, actor: str, minutes: int | None = None,
                 automatic: bool = False) -> Order:
    """The restaurant takes the order, ready in about `minutes`; a delivery job opens, the customer is told."""
    if order.restaurant_id != restaurant.id:
        raise Forbidden(f"order {order.code} is not for {restaurant.name}")
    if minutes is not None and not 1 <= minutes <= MAX_READY_MINUTES:
        raise BadInput(f"minutes must be between 1 and {MAX_READY_MINUTES}")
    data = {"minutes": minutes, "automatic": True} if automatic else {"minutes": minutes}
    await move(unit, order, "accept", actor=actor, data=data)
    measures.since(measures.ACCEPTED, order.reached_restaurant_at, unit.now())
    order.ready_in_minutes = minutes
    await open_job(unit, order)
    customer = await unit.session.get(Account, order.account_id)
    await outbox.about_order(unit, order, customer.phone, notices.order_accepted(order, restaurant, order.language),
                             "order.accepted")
    return order


async def reach_restaurant(unit: Unit, order: Order, restaurant: Restaurant) -> None:
    """A stored order reaches the restaurant's console (paid, or switched to cash): its
    acceptance window starts now, or with AUTO ON it is accepted at once."""
    order.reached_restaurant_at = unit.now()
    if restaurant.auto_accept:
        await accept_automatically(unit, order, restaurant)
    else:
        await outbox.put(unit, restaurant_notice(unit, order, restaurant))


async def accept_automatically(unit: Unit, order: Order, restaurant: Restaurant) -> None:
    """AUTO ON: accepted as ACCEPT would, in the restaurant's usual minutes; the console is told
    what to cook instead of being asked."""
    await accept(unit, order, restaurant, actor=AUTO_ACTOR, minutes=restaurant.prep_minutes, automatic=True)
    await outbox.enqueue(
        unit, restaurant.phone, notices.auto_accepted_for_restaurant(order, restaurant.language),
        kind="order.new_for_restaurant", order_id=order.id, dedupe_key=f"order:{order.code}:new_for_restaurant",
    )
