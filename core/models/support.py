"""Support tickets: what a customer, restaurant or driver asked, and each message either way."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base
from core.models.types import Sealed, blind_index


class Ticket(Base):
    """One conversation with support, opened by a person's message; its status is state_machines.ticket."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_phone_key_status", "phone_key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(Sealed)  # who wrote: the answer goes back there
    phone_key: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    restaurant_id: Mapped[int | None] = mapped_column(ForeignKey("restaurants.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(12))  # customer, restaurant or driver, as they wrote
    status: Mapped[str] = mapped_column(String(12), index=True)
    channel: Mapped[str] = mapped_column(String(12))  # where it was opened: sms, whatsapp, ussd
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    solved_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    messages: Mapped[list["TicketMessage"]] = relationship(
        lazy="selectin", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


blind_index(Ticket, "phone", "phone_key")


class TicketMessage(Base):
    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in: from the person; out: support's answer
    author: Mapped[str] = mapped_column(Sealed)  # the person's number, or support:<account id>
    channel: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Sealed)
    created_at: Mapped[datetime]
