"""Records of what happened: outbox messages, processed provider ids, the audit log."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base
from core.models.types import Sealed, SealedJSON, blind_index


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # sms or whatsapp
    to_phone: Mapped[str] = mapped_column(Sealed)
    to_phone_key: Mapped[str] = mapped_column(String(32), index=True)
    body: Mapped[str] = mapped_column(Sealed)
    # The body with its secret (a sign-in or handover code) masked: it replaces the body once
    # the message is sent or given up, so no code outlives its delivery.
    redacted_body: Mapped[str | None] = mapped_column(Sealed)
    kind: Mapped[str] = mapped_column(String(40))  # what it is about, e.g. order.new_for_restaurant
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued|sending|sent|delivered|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(60))
    claimed_at: Mapped[datetime | None]
    handed_at: Mapped[datetime | None]  # about to be handed to the gateway: may have reached it
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(80), index=True)
    last_error: Mapped[str | None] = mapped_column(String(240))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]


blind_index(OutboxMessage, "to_phone", "to_phone_key")


class ProcessedEvent(Base):
    """A gateway or provider id already handled: a replay finds it here and changes nothing."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime]


class InboundMessage(Base):
    """A message a person sent while we could not answer it (Redis or the database away), kept
    until it is answered: nothing a person sends is lost to an outage."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("provider", "message_id"), Index("ix_inbound_due", "handled_at", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))  # whose id message_id is
    message_id: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))  # sms, whatsapp, whatsapp-text
    phone: Mapped[str] = mapped_column(Sealed)
    phone_key: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Sealed)
    received_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(240))
    handled_at: Mapped[datetime | None]


blind_index(InboundMessage, "phone", "phone_key")


class AuditEvent(Base):
    """Every status change and sensitive act: who, what, why and when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # order, payment, delivery, restaurant, account
    entity_ref: Mapped[str] = mapped_column(String(40))
    trigger: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(Sealed)  # e.g. customer:+237699..., restaurant:3, system
    reason: Mapped[str | None] = mapped_column(Sealed)
    data: Mapped[dict] = mapped_column(SealedJSON, default=dict)
    at: Mapped[datetime] = mapped_column(index=True)


class IdempotentRequest(Base):
    """A creating or paying API request by its `Idempotency-Key`: claimed while it runs, then its
    answer, which a retry with the same key gets back instead of a second effect."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body, hashed
    status: Mapped[int | None]  # None while the first request runs
    answer: Mapped[str | None] = mapped_column(Sealed)  # an answer may name a person or an address
    created_at: Mapped[datetime]
