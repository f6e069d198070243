"""An order as plain values: what use cases hand back to channels, which render it."""
from dataclasses import dataclass
from datetime import datetime

from core.models import Order


@dataclass(frozen=True)
class LineView:
    item_id: int
    name_en: str
    name_fr: str
    quantity: int
    unit_price_xaf: int
    line_total_xaf: int
    options: list[dict]  # [{id, name_en, name_fr, price_delta_xaf}], as ordered


@dataclass(frozen=True)
class OrderView:
    id: int  # the cursor of a list of orders
    code: str
    status: str
    account_id: int
    restaurant_id: int
    channel: str
    fulfilment: str
    payment_method: str
    payer_phone: str | None
    subtotal_xaf: int
    delivery_fee_xaf: int
    total_xaf: int
    city: str
    quarter_id: int | None
    quarter_text: str
    landmark: str
    directions: str
    address_id: int | None
    ready_in_minutes: int | None
    cancelled_by: str | None
    cancel_reason: str | None
    created_at: datetime
    reached_restaurant_at: datetime | None
    lines: tuple[LineView, ...]
    accepted_at: datetime | None = None  # with ready_in_minutes: when the kitchen promised it
    discount_xaf: int = 0  # an offer's or a promo code's, already taken off total_xaf
    points_spent: int = 0  # loyalty points taken off the food
    points_xaf: int = 0


def view_of(order: Order) -> OrderView:
    return OrderView(
        id=order.id, code=order.code, status=order.status, account_id=order.account_id, restaurant_id=order.restaurant_id,
        channel=order.channel, fulfilment=order.fulfilment, payment_method=order.payment_method,
        payer_phone=order.payer_phone, subtotal_xaf=order.subtotal_xaf, delivery_fee_xaf=order.delivery_fee_xaf,
        total_xaf=order.total_xaf, city=order.city, quarter_id=order.quarter_id, quarter_text=order.quarter_text,
        landmark=order.landmark, directions=order.directions, address_id=order.address_id,
        ready_in_minutes=order.ready_in_minutes, cancelled_by=order.cancelled_by, cancel_reason=order.cancel_reason, created_at=order.created_at,
        reached_restaurant_at=order.reached_restaurant_at, accepted_at=order.accepted_at, discount_xaf=order.discount_xaf,
        points_spent=order.points_spent or 0, points_xaf=order.points_xaf or 0,
        lines=tuple(
            LineView(item_id=l.item_id, name_en=l.name_en, name_fr=l.name_fr, quantity=l.quantity,
                     unit_price_xaf=l.unit_price_xaf, line_total_xaf=l.line_total_xaf, options=list(l.options))
            for l in order.lines
        ),
    )
