"""A person's timeline for support: their orders, payments, messages sent and received, and
tickets, newest first, one page at a time.

Each source is read newest first, at most a page and one more, from where the last page ended;
the merge sorts by (time, source rank, id), so the cursor is that triple and no entry is
skipped or shown twice between pages, even when several share one instant.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from core.accounts import find_account
from core.catalog import restaurant_by_phone
from core.db import Units
from core.errors import BadInput, NotFound
from core.models import InboundMessage, Order, OutboxMessage, Payment, Ticket, TicketMessage
from core.sealing import blind

# Rank breaks ties between sources at the same instant: an order before its payment and messages.
RANKS = {"order": 5, "payment": 4, "message_out": 3, "message_in": 2, "ticket_message": 1, "ticket": 0}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # order, payment, message_out, message_in, ticket, ticket_message
    id: int
    ref: str  # an order code, a payment reference, a ticket number, a message id
    status: str | None
    text: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}~{RANKS[self.kind]}~{self.id}"


def read_cursor(cursor: str) -> tuple[datetime, int, int]:
    try:
        at, rank, id_ = cursor.split("~")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("no zone")
        return when, int(rank), int(id_)
    except ValueError:
        raise BadInput("cursor: not the `next` of a timeline page") from None


def _older(at_col, id_col, kind: str, cursor: tuple[datetime, int, int] | None):
    """Rows of one source that sort after the cursor, newest first (by time, rank, id)."""
    if cursor is None:
        return True
    at, rank, id_ = cursor
    mine = RANKS[kind]
    if mine < rank:
        return at_col <= at
    if mine > rank:
        return at_col < at
    return or_(at_col < at, and_(at_col == at, id_col < id_))


async def timeline(units: Units, phone: str, *, limit: int, cursor: str | None) -> tuple[list[Entry], str | None]:
    """One page of what happened with this number, newest first, and the next page's cursor."""
    after = read_cursor(cursor) if cursor else None
    take = limit + 1
    async with units.unit() as unit:
        account = await find_account(unit, phone)
        if account is None and await restaurant_by_phone(unit, phone) is None:
            raise NotFound(f"nobody has the number {phone}")
        entries: list[Entry] = []
        theirs = (Order.payer_phone_key == blind(phone)) if account is None else or_(Order.account_id == account.id, Order.payer_phone_key == blind(phone))
        orders = await unit.session.scalars(
            select(Order).where(theirs, _older(Order.created_at, Order.id, "order", after))
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(take)
        )
        entries += [Entry(o.created_at, "order", o.id, o.code, o.status, None,
                          {"total_xaf": o.total_xaf, "payment_method": o.payment_method, "fulfilment": o.fulfilment,
                           "restaurant_id": o.restaurant_id, "channel": o.channel}) for o in orders]
        their_orders = select(Order.id).where(theirs)
        payments = await unit.session.scalars(
            select(Payment).where(or_(Payment.order_id.in_(their_orders), Payment.payer_phone_key == blind(phone)),
                                  _older(Payment.created_at, Payment.id, "payment", after))
            .order_by(Payment.created_at.desc(), Payment.id.desc()).limit(take)
        )
        entries += [Entry(p.created_at, "payment", p.id, p.reference, p.status, None,
                          {"method": p.method, "provider": p.provider, "amount_xaf": p.amount_xaf,
                           "refunded_xaf": p.refunded_xaf, "payer_phone": p.payer_phone}) for p in payments]
        sent = await unit.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(phone),
                                        _older(OutboxMessage.created_at, OutboxMessage.id, "message_out", after))
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(take)
        )
        # A message with a code in it (sign-in, handover) shows masked, as it is kept once sent.
        entries += [Entry(m.created_at, "message_out", m.id, str(m.id), m.status, m.redacted_body or m.body,
                          {"channel": m.channel, "kind": m.kind}) for m in sent]
        kept = await unit.session.scalars(
            select(InboundMessage).where(InboundMessage.phone_key == blind(phone),
                                         _older(InboundMessage.received_at, InboundMessage.id, "message_in", after))
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc()).limit(take)
        )
        entries += [Entry(m.received_at, "message_in", m.id, m.message_id, "answered" if m.handled_at else "waiting", m.text,
                          {"channel": m.channel}) for m in kept]
        said = await unit.session.execute(
            select(TicketMessage, Ticket.id).join(Ticket, Ticket.id == TicketMessage.ticket_id)
            .where(Ticket.phone_key == blind(phone), _older(TicketMessage.created_at, TicketMessage.id, "ticket_message", after))
            .order_by(TicketMessage.created_at.desc(), TicketMessage.id.desc()).limit(take)
        )
        entries += [Entry(m.created_at, "ticket_message", m.id, str(ticket_id), m.direction, m.body,
                          {"author": m.author, "channel": m.channel}) for m, ticket_id in said.all()]
        opened = await unit.session.scalars(
            select(Ticket).where(Ticket.phone_key == blind(phone), _older(Ticket.created_at, Ticket.id, "ticket", after))
            .order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(take)
        )
        entries += [Entry(t.created_at, "ticket", t.id, str(t.id), t.status, None, {"role": t.role, "channel": t.channel})
                    for t in opened]
    entries.sort(key=lambda e: (e.at, RANKS[e.kind], e.id), reverse=True)
    page = entries[:limit]
    return page, page[-1].cursor if len(entries) > limit else None
