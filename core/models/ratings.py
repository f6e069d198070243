"""Ratings: one per delivered or collected order, asked by SMS, given by its customer, with the
restaurant's answer to its comment."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed


class Rating(Base):
    """The request (state_machines.rating) and, once rated, the stars and the comment.

    The order's restaurant and driver are copied here so a restaurant's list and the averages
    never join the orders."""

    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_account_status", "account_id", "status"),
        Index("ix_ratings_restaurant_rated", "restaurant_id", "rated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    order_code: Mapped[str] = mapped_column(String(6))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))  # the orderer, the only rater
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"))
    driver_account_id: Mapped[int | None] = mapped_column(ForeignKey("drivers.account_id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(8))  # ASKED, RATED or EXPIRED
    asked_at: Mapped[datetime]
    rated_at: Mapped[datetime | None]
    restaurant_stars: Mapped[int | None]  # 1 to 5
    driver_stars: Mapped[int | None]  # 1 to 5; none for a pickup
    comment: Mapped[str | None] = mapped_column(Sealed)  # free text: may name a person or a place
    channel: Mapped[str | None] = mapped_column(String(12))  # where the rating came from: sms, whatsapp, app
    answer: Mapped[str | None] = mapped_column(Sealed)  # the restaurant's, sent to the customer by SMS
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(Sealed)  # the actor, as the audit names them
    updated_at: Mapped[datetime | None]  # its last change of status
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
