"""A customer's "usual": the basket they order most, read from their recent orders.

The rule, once: among the customer's last `WINDOW` orders that went ahead (not drafts, not
refused, expired or cancelled), a basket is the restaurant and its lines (dish, quantity,
options) whatever their order; the usual is the basket ordered at least `AT_LEAST` times, the
most often, the most recent on a tie. It is offered as the newest order of that basket, so
ordering it again goes through the ordinary reorder: same place, same way of paying, priced as now.
"""
from dataclasses import dataclass

from core.order_views import OrderView
from state_machines.order import OrderStatus

WINDOW = 20  # recent orders looked at
AT_LEAST = 2  # a basket ordered once is a last order, not a usual one
DID_NOT_GO_AHEAD = {
    OrderStatus.DRAFT.value, OrderStatus.REJECTED.value, OrderStatus.EXPIRED.value, OrderStatus.CANCELLED.value,
}


@dataclass(frozen=True)
class Usual:
    order: OrderView  # the newest order of the usual basket: what "order it again" reorders
    times: int  # how many of the recent orders were this basket


def basket_of(order: OrderView) -> tuple:
    """What makes two orders the same basket: the restaurant and its lines, in any order."""
    lines = sorted((l.item_id, l.quantity, tuple(sorted(o["id"] for o in l.options))) for l in order.lines)
    return order.restaurant_id, tuple(lines)


def usual_of(orders: list[OrderView]) -> Usual | None:
    """The usual basket of these orders (newest first, as `customer_orders` reads them), or None."""
    counted: dict[tuple, list[OrderView]] = {}
    for order in orders[:WINDOW]:
        if order.status in DID_NOT_GO_AHEAD or not order.lines:
            continue
        counted.setdefault(basket_of(order), []).append(order)
    if not counted:
        return None
    # dicts keep insertion order, and orders come newest first: max() keeps the most recent on a tie
    best = max(counted.values(), key=len)
    return Usual(best[0], len(best)) if len(best) >= AT_LEAST else None
