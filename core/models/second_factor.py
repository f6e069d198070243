"""The second factor of support and admin accounts (a TOTP secret and its recovery codes) and
every sign-in attempt of any account, which the lockout counts. Keyed by account id."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed


class SecondFactor(Base):
    """An account's TOTP secret (base32), read and written only through core.second_factor.

    `confirmed_at` is set by the first valid code: until then the enrolment can be started anew.
    `last_step` is the 30-second step of the last code accepted: a code of that step or an
    earlier one is a replay."""

    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(Sealed)  # the TOTP seed: sealed like personal data
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class RecoveryCode(Base):
    """One recovery code, kept as an HMAC digest; used once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SignInAttempt(Base):
    """A code tried for an account: `kind` sms, totp or recovery (or unlock, an admin's), whether
    it was right, when, and from which address when the channel knows it."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_account_id_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    succeeded: Mapped[bool]
    at: Mapped[datetime]
    address: Mapped[str | None] = mapped_column(Sealed)  # the client's IP address: personal data
