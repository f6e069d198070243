"""What is waiting, read in a few indexed counts for the operators' metrics: the outbox's unsent
messages and the oldest of them, delivery jobs no driver took in time, orders their restaurant
has not answered within the acceptance window, and the open orders by channel and state."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.db import Unit
from core.models import DeliveryJob, Order, OutboxMessage
from state_machines.delivery import DeliveryStatus
from state_machines.order import BEFORE_ACCEPTANCE, IN_KITCHEN, OrderStatus

UNSENT = ("queued", "sending")
OPEN_ORDERS = tuple(s.value for s in (*BEFORE_ACCEPTANCE, *IN_KITCHEN, OrderStatus.PICKED_UP))


@dataclass(frozen=True)
class Backlog:
    unsent: int
    oldest_unsent_s: float  # 0 when nothing waits
    untaken_jobs: int  # delivery jobs still without a driver after `no_driver_after_s`
    unanswered_orders: int  # orders at their restaurant past the acceptance window
    open_orders: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, state) -> orders


def _seconds(now: datetime, then: datetime | None) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # SQLite hands back naive UTC times
        now = now.replace(tzinfo=None)
    return max((now - then).total_seconds(), 0.0)


async def read(unit: Unit, *, accept_timeout_s: int, no_driver_after_s: int) -> Backlog:
    now = unit.now()
    unsent, oldest = (await unit.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(UNSENT))
    )).one()
    untaken = await unit.session.scalar(
        select(func.count()).select_from(DeliveryJob).where(
            DeliveryJob.status.in_((DeliveryStatus.UNASSIGNED.value, DeliveryStatus.OFFERED.value)),
            DeliveryJob.created_at <= now - timedelta(seconds=no_driver_after_s),
        )
    )
    unanswered = await unit.session.scalar(
        select(func.count()).select_from(Order).where(
            Order.status == OrderStatus.PENDING_RESTAURANT.value,
            Order.reached_restaurant_at <= now - timedelta(seconds=accept_timeout_s),
        )
    )
    rows = await unit.session.execute(
        select(Order.channel, Order.status, func.count()).where(Order.status.in_(OPEN_ORDERS))
        .group_by(Order.channel, Order.status)
    )
    return Backlog(int(unsent), _seconds(now, oldest), int(untaken or 0), int(unanswered or 0),
                   {(channel, status): int(n) for channel, status, n in rows})
