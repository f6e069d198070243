"""Money out: where each restaurant and driver is paid, and each payout sent to them."""
from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed


class PayoutAccount(Base):
    """The mobile-money number a restaurant or a driver is paid on, when it is not the default."""

    __tablename__ = "payout_accounts"
    __table_args__ = (UniqueConstraint("kind", "beneficiary_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # restaurant or driver
    beneficiary_id: Mapped[int]  # the restaurant's id, or the driver's account id
    phone: Mapped[str] = mapped_column(Sealed)
    wallet: Mapped[str] = mapped_column(String(10))  # mtn or orange: which payout route pays it
    updated_at: Mapped[datetime]


class Payout(Base):
    """Money sent to a restaurant or a driver. `reference` is ours, sent to the provider as its
    idempotency key, so a retried or replayed send pays once."""

    __tablename__ = "payouts"
    __table_args__ = (Index("ix_payouts_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    # The key of the attempt under way: the reference itself, until the provider refused a
    # transfer under it for good (MTN answers 409 to a reference used before).
    send_reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # restaurant or driver
    beneficiary_id: Mapped[int] = mapped_column(index=True)
    # kind:beneficiary while the payout is open, None once paid or given up: one open payout each.
    open_key: Mapped[str | None] = mapped_column(String(24), unique=True)
    phone: Mapped[str] = mapped_column(Sealed)
    wallet: Mapped[str] = mapped_column(String(10))  # mtn or orange
    provider: Mapped[str] = mapped_column(String(12), default="")  # chosen at the first send, kept after
    amount_xaf: Mapped[int]
    status: Mapped[str] = mapped_column(String(24), index=True)
    reason: Mapped[str] = mapped_column(String(10))  # daily or request
    language: Mapped[str] = mapped_column(String(2))  # of the beneficiary's SMS
    requested_by: Mapped[str] = mapped_column(Sealed)  # an actor: may hold a number
    approved_by: Mapped[str | None] = mapped_column(Sealed)
    provider_reference: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(default=0)  # transfers asked of the provider
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(240))
    ledger_txn: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
