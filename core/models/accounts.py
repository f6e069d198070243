"""People: one account per E.164 phone, their roles, saved addresses and driver profiles."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base
from core.models.types import Sealed, blind_index


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Sealed)
    phone_key: Mapped[str] = mapped_column(String(32), unique=True)  # blind(phone): what lookups compare
    name: Mapped[str | None] = mapped_column(Sealed)
    language: Mapped[str] = mapped_column(String(2))
    opted_out: Mapped[bool] = mapped_column(default=False)  # said STOP: no more messages
    loyalty_points: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]

    roles: Mapped[list["Role"]] = relationship(back_populates="account", lazy="selectin")

    def has_role(self, role: str, restaurant_id: int | None = None) -> bool:
        return any(
            r.role == role and (restaurant_id is None or r.restaurant_id == restaurant_id)
            for r in self.roles
        )


blind_index(Account, "phone", "phone_key")


class Role(Base):
    """customer, owner, staff (of a restaurant), driver, support or admin."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("account_id", "role", "restaurant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    restaurant_id: Mapped[int | None] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"))

    account: Mapped[Account] = relationship(back_populates="roles")


class Address(Base):
    """A place described the way people here give it: quarter, landmark, directions."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    city: Mapped[str] = mapped_column(String(40))
    quarter_id: Mapped[int | None] = mapped_column(ForeignKey("quarters.id"))
    quarter_text: Mapped[str] = mapped_column(Sealed)  # as typed, kept when no quarter matched
    landmark: Mapped[str] = mapped_column(Sealed, default="")
    directions: Mapped[str] = mapped_column(Sealed, default="")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]


class Driver(Base):
    __tablename__ = "drivers"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    city: Mapped[str] = mapped_column(String(40))
    zone: Mapped[list[str]] = mapped_column(JSON, default=list)  # quarter names served
    home_quarter_id: Mapped[int | None] = mapped_column(ForeignKey("quarters.id"))
    online: Mapped[bool] = mapped_column(default=False)
    max_active_jobs: Mapped[int] = mapped_column(default=1)
    # APPLIED, APPROVED, REFUSED or SUSPENDED (state_machines.driver); only APPROVED get offers.
    status: Mapped[str] = mapped_column(String(12), default="APPROVED", index=True)
    status_reason: Mapped[str | None] = mapped_column(String(160))  # why refused or suspended, told to them
    updated_at: Mapped[datetime]
    # Added to in the rating's transaction (core.feedback); dispatch reads them (core.ratings.driver_score).
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_total: Mapped[int] = mapped_column(default=0)

    account: Mapped[Account] = relationship(lazy="joined")


class OtpCode(Base):
    """A one-time sign-in code sent by SMS; only its keyed hash is kept."""

    __tablename__ = "otp_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Sealed)
    phone_key: Mapped[str] = mapped_column(String(32), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


blind_index(OtpCode, "phone", "phone_key")


class RefreshToken(Base):
    """One refresh token of a login; a login's tokens form a family, rotated on every use."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    family: Mapped[str] = mapped_column(String(32), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # rotated: presenting it again means it was stolen
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # How the login proved who it is ("sms", "sms totp"): every token of the family carries it.
    amr: Mapped[str] = mapped_column(String(32), default="sms", server_default="sms")
