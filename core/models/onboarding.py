"""Restaurants applying: who applied for which restaurant, the people they named, and the review."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base
from core.models.types import Sealed, SealedJSON
from core.models.catalog import Restaurant


class RestaurantApplication(Base):
    """One per restaurant signed up over REST: the applicant becomes its owner on approval, and the
    people named get their roles then; a refused application keeps its reason until it applies again."""

    __tablename__ = "restaurant_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    people: Mapped[list[dict]] = mapped_column(SealedJSON, default=list)  # [{"phone": E.164, "role": "manager"|"staff"}]
    refusal_reason: Mapped[str | None] = mapped_column(String(160))
    submitted_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(Sealed)

    restaurant: Mapped[Restaurant] = relationship(lazy="joined")
