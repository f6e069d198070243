"""Carts, orders with their lines priced at order time, payments and delivery jobs."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base
from core.models.types import Sealed, blind_index


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    lines: Mapped[list["CartLine"]] = relationship(
        lazy="selectin", order_by="CartLine.id", cascade="all, delete-orphan"
    )


class CartLine(Base):
    __tablename__ = "cart_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id"))
    quantity: Mapped[int]
    option_ids: Mapped[list[int]] = mapped_column(JSON, default=list)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    # Where the order came from, unique: a replayed USSD session, SMS or Idempotency-Key
    # finds the order it already placed instead of placing a second one.
    origin_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(12))  # ussd, sms, whatsapp, app
    language: Mapped[str] = mapped_column(String(2))
    fulfilment: Mapped[str] = mapped_column(String(10))  # delivery or pickup
    payment_method: Mapped[str] = mapped_column(String(10))  # cash, mtn, orange, card
    payer_phone: Mapped[str | None] = mapped_column(Sealed)
    payer_phone_key: Mapped[str | None] = mapped_column(String(32), index=True)
    # The address as it was when ordered: later edits to a saved address don't rewrite history.
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    city: Mapped[str] = mapped_column(String(40))
    quarter_id: Mapped[int | None] = mapped_column(ForeignKey("quarters.id"))
    quarter_text: Mapped[str] = mapped_column(Sealed, default="")
    landmark: Mapped[str] = mapped_column(Sealed, default="")
    directions: Mapped[str] = mapped_column(Sealed, default="")
    distance_m: Mapped[int] = mapped_column(default=0)
    subtotal_xaf: Mapped[int]
    delivery_fee_xaf: Mapped[int]
    # Off the food (never more than the subtotal), or the delivery fee for free delivery; who
    # pays it ("restaurant" or "platform") is `discount_funder` (core.delivery.settle books it).
    discount_xaf: Mapped[int] = mapped_column(default=0)
    discount_funder: Mapped[str | None] = mapped_column(String(10))
    promo_code_id: Mapped[int | None] = mapped_column(ForeignKey("promo_codes.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("restaurant_offers.id", ondelete="SET NULL"))
    total_xaf: Mapped[int]  # subtotal + delivery fee - discount - points
    # Loyalty points spent on the food, and the XAF they took off: the platform pays that part.
    points_spent: Mapped[int] = mapped_column(default=0)
    points_xaf: Mapped[int] = mapped_column(default=0)
    ready_in_minutes: Mapped[int | None]  # the restaurant's estimate when it accepted
    handover_code: Mapped[str | None] = mapped_column(String(4))
    cancelled_by: Mapped[str | None] = mapped_column(String(40))  # customer, restaurant, payment, support...: no number
    cancel_reason: Mapped[str | None] = mapped_column(Sealed)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    placed_at: Mapped[datetime | None]
    reached_restaurant_at: Mapped[datetime | None]  # starts the acceptance window
    accepted_at: Mapped[datetime | None]
    # Set when a mobile-money payment is declined or expires the first time: until then the
    # customer may try again or switch to cash; after it, the order is cancelled.
    payment_retry_until: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    lines: Mapped[list["OrderLine"]] = relationship(
        lazy="selectin", order_by="OrderLine.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


blind_index(Order, "payer_phone", "payer_phone_key")


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("menu_items.id"))
    name_en: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(40))
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{id, name_en, name_fr, price_delta_xaf}]
    unit_price_xaf: Mapped[int]  # dish price plus its options, at order time
    quantity: Mapped[int]
    line_total_xaf: Mapped[int]


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # ours, sent to the provider
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))  # cash, mtn, orange, card
    provider: Mapped[str] = mapped_column(String(12))  # "cash", or the provider asked ("" until one is)
    status: Mapped[str] = mapped_column(String(24), index=True)
    amount_xaf: Mapped[int]
    payer_phone: Mapped[str | None] = mapped_column(Sealed)
    payer_phone_key: Mapped[str | None] = mapped_column(String(32), index=True)
    provider_reference: Mapped[str | None] = mapped_column(String(80), index=True)
    refunded_xaf: Mapped[int] = mapped_column(default=0)
    refund_due_xaf: Mapped[int] = mapped_column(default=0)  # owed back, not yet sent
    operator: Mapped[str | None] = mapped_column(String(10))  # MTN or ORANGE, as the provider says
    attempts: Mapped[int] = mapped_column(default=0)  # status checks made with the provider
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(String(240))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


blind_index(Payment, "payer_phone", "payer_phone_key")


class DeliveryJob(Base):
    __tablename__ = "delivery_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # An order has one job at a time; a failed delivery sent again gets a new one (the old kept).
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    driver_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    fee_xaf: Mapped[int]
    wrong_codes: Mapped[int] = mapped_column(default=0)
    offered_to: Mapped[list[int]] = mapped_column(JSON, default=list)  # driver account ids
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    order: Mapped[Order] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class LedgerEntry(Base):
    """One leg of a balanced movement of money; the legs of one `txn` sum to zero.

    Ledger accounts are names: `customer:<id>`, `restaurant:<id>`, `driver:<id>`,
    `platform`, `provider:<name>` (money held at a payment provider), `wallet:<id>`.
    """

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    txn: Mapped[str] = mapped_column(String(40), index=True)
    ledger_account: Mapped[str] = mapped_column(String(40), index=True)
    amount_xaf: Mapped[int]  # positive credit, negative debit
    kind: Mapped[str] = mapped_column(String(30))  # hold, release, refund, payout, cash_collected...
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    reference: Mapped[str | None] = mapped_column(String(80))  # the provider's, on a payout
    created_at: Mapped[datetime]
