"""Promotions: promo codes customers type, and restaurants' time-boxed offers applied on their own."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed


class PromoCode(Base):
    """A code that takes money off the food (a percentage or an amount) or pays the delivery fee.

    `uses` counts the orders holding it now: placing one adds a use only while it is under
    `total_limit` (one conditional UPDATE), and an order that ends without food gives its use back.
    """

    __tablename__ = "promo_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # upper-case ASCII letters and digits
    restaurant_id: Mapped[int | None] = mapped_column(ForeignKey("restaurants.id"), index=True)  # None: any restaurant
    kind: Mapped[str] = mapped_column(String(14))  # percent, fixed, free_delivery
    value: Mapped[int] = mapped_column(default=0)  # percent 1..100, or XAF off the food
    min_subtotal_xaf: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    first_order_only: Mapped[bool] = mapped_column(default=False)
    per_customer_limit: Mapped[int | None]  # None: no limit
    total_limit: Mapped[int | None]  # None: no limit
    uses: Mapped[int] = mapped_column(default=0)
    funded_by: Mapped[str] = mapped_column(String(10))  # restaurant or platform: who pays the discount
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(Sealed, default="")  # an actor: may hold a number
    created_at: Mapped[datetime]


class RestaurantOffer(Base):
    """A restaurant's price for a window of the week (and optional dates), e.g. 20 % off the food
    14:00-17:00 on weekdays: applied by pricing on its own, paid by the restaurant."""

    __tablename__ = "restaurant_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(14))  # percent or fixed, off the food
    value: Mapped[int]
    days: Mapped[str] = mapped_column(String(7), default="1234567")  # ISO weekdays, 1 Monday .. 7 Sunday
    starts_minute: Mapped[int]  # local minutes from midnight, the window is [starts, ends)
    ends_minute: Mapped[int]
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]  # inclusive
    min_subtotal_xaf: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
