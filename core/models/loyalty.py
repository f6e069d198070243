"""Loyalty: every change of a customer's points as a row, and the friends they invited."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed, blind_index


class LoyaltyMovement(Base):
    """One change of an account's points; `Account.loyalty_points` is always the sum of its rows,
    written in the same transaction.

    Kinds: `earn` (paid for an order), `spend` (off an order's food, negative), `give_back`
    (spent points of an order that was not served or was refunded), `take_back` (earned points
    of a refunded order, negative), `referral` (a friend's first paid order, or one's own as
    the invited friend), `opening` (the balance the ledger started from).
    """

    __tablename__ = "loyalty_movements"
    __table_args__ = (Index("ix_loyalty_movements_account_at", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    points: Mapped[int]  # positive earned, negative spent or taken back
    created_at: Mapped[datetime]


class Invitation(Base):
    """A customer's INVITE of a number new to Chopbar: one per number ever, so one reward per
    new number; rewarded when that number's first order is paid."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    inviter_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(Sealed)  # E.164, the friend's
    phone_key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime]
    rewarded_at: Mapped[datetime | None]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))  # the friend's first paid order


blind_index(Invitation, "phone", "phone_key")
