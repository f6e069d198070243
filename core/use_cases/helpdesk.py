"""Support tickets, one function per act: a person asks for help (SMS, USSD, chat), support lists
and reads tickets, answers and solves them."""
from dataclasses import dataclass
from datetime import datetime

from core import outbox, support_notices, tickets
from core.db import Units
from core.models import Ticket


@dataclass(frozen=True)
class Asker:
    """Who asks, as the channel knows them: their role, language, account and restaurant."""

    phone: str
    role: str  # customer, restaurant or driver
    language: str
    account_id: int | None = None
    restaurant_id: int | None = None


@dataclass(frozen=True)
class Asked:
    ticket_id: int
    opened: bool  # False: the message joined the person's ticket
    acknowledgement: str  # the short SMS naming the ticket, in the person's language


@dataclass(frozen=True)
class MessageFacts:
    id: int
    direction: str  # in (from the person) or out (support's answer)
    author: str
    channel: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class TicketFacts:
    id: int
    phone: str
    role: str
    status: str
    channel: str
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    messages: tuple[MessageFacts, ...]


async def ask_for_help(units: Units, asker: Asker, text: str, *, channel: str, acknowledge_by_sms: bool) -> Asked:
    """A message to support: it opens a ticket or joins the person's open one. With
    `acknowledge_by_sms` the acknowledgement is queued as an SMS (USSD has no reply to carry it);
    a text's reply carries it itself."""
    async with units.unit() as unit:
        ticket, opened = await tickets.write_in(
            unit, asker.phone, text, role=asker.role, channel=channel, account_id=asker.account_id,
            restaurant_id=asker.restaurant_id,
        )
        ack = support_notices.ticket_received(ticket.id, asker.language)
        if acknowledge_by_sms:
            await outbox.enqueue(unit, asker.phone, ack, kind="support.ack")
        return Asked(ticket.id, opened, ack)


async def tickets_in(units: Units, *, status: str | None, limit: int, after_id: int | None) -> list[TicketFacts]:
    """Tickets in one state (or all), oldest first: the longest waiting on top."""
    async with units.unit() as unit:
        return [facts(t) for t in await tickets.tickets_in(unit, status=status, limit=limit, after_id=after_id)]


async def ticket(units: Units, ticket_id: int) -> TicketFacts:
    """One ticket with every message, oldest first."""
    async with units.unit() as unit:
        return facts(await tickets.ticket_by_id(unit, ticket_id))


async def answer(units: Units, ticket_id: int, text: str, *, actor: str, default_language: str) -> TicketFacts:
    """Support's answer goes out by SMS in the person's language; the ticket waits for them."""
    async with units.unit() as unit:
        return facts(await tickets.answer(unit, ticket_id, text, actor=actor, default_language=default_language))


async def solve(units: Units, ticket_id: int, *, actor: str, default_language: str) -> TicketFacts:
    """The ticket is solved and the person told."""
    async with units.unit() as unit:
        return facts(await tickets.solve(unit, ticket_id, actor=actor, default_language=default_language))


def facts(t: Ticket) -> TicketFacts:
    return TicketFacts(
        t.id, t.phone, t.role, t.status, t.channel, t.created_at, t.updated_at, t.solved_at,
        tuple(MessageFacts(m.id, m.direction, m.author, m.channel, m.body, m.created_at) for m in t.messages),
    )
