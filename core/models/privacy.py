"""Personal data requests: a one-time export link sent by SMS, and a deletion waiting for its confirmation."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class PersonalDataRequest(Base):
    """`export`: a download link, kept as the SHA-256 of its token, good once until `expires_at`.
    `erase`: a DELETE sent by SMS, erased when DELETE YES comes before `expires_at`."""

    __tablename__ = "personal_data_requests"
    __table_args__ = (Index("ix_personal_data_requests_account_kind", "account_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # export or erase
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
