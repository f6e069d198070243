"""Support tickets: a person's message opens one, or joins the one they have open; support
answers by SMS in the person's language, and solves it.

A message within REOPEN_WITHIN of a ticket being solved reopens it (the same matter, most
likely); a later one opens a new ticket. Every status change goes through state_machines.ticket.
"""
from datetime import timedelta

from sqlalchemy import select

from core import audit, outbox, support_notices
from core.accounts import find_account
from core.catalog import restaurant_by_phone
from core.db import Unit
from core.errors import BadInput, NotFound
from core.models import Ticket, TicketMessage
from core.sealing import blind
from state_machines.ticket import TicketFlow, TicketStatus as S

REOPEN_WITHIN = timedelta(days=3)
MAX_TEXT = 480  # three SMS: a person's message, or support's answer
ROLES = ("customer", "restaurant", "driver")


def clean(text: str) -> str:
    """One line of printable text, spaces collapsed; BadInput when nothing is left or it is too long."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text or "").split())
    if not text:
        raise BadInput("write a message")
    if len(text) > MAX_TEXT:
        raise BadInput(f"at most {MAX_TEXT} characters")
    return text


def _fire(unit: Unit, ticket: Ticket, trigger: str, *, actor: str) -> None:
    audit.change(unit, TicketFlow(ticket), trigger, actor=actor)


def _message(unit: Unit, ticket: Ticket, direction: str, author: str, channel: str, body: str) -> None:
    ticket.messages.append(
        TicketMessage(direction=direction, author=author, channel=channel, body=body, created_at=unit.now())
    )
    ticket.updated_at = unit.now()


async def write_in(
    unit: Unit, phone: str, text: str, *, role: str, channel: str, account_id: int | None, restaurant_id: int | None,
) -> tuple[Ticket, bool]:
    """The person's message on their ticket: the open one, a waiting or lately solved one (moved
    back to OPEN), or a new one. Returns the ticket and whether it is new."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    body = clean(text)
    now = unit.now()
    latest = await unit.session.scalar(
        select(Ticket).where(Ticket.phone_key == blind(phone)).order_by(Ticket.id.desc()).limit(1).with_for_update()
    )
    actor = f"{role}:{phone}"
    recent = latest is not None and (
        latest.status != S.SOLVED.value or (latest.solved_at is not None and now - latest.solved_at <= REOPEN_WITHIN)
    )
    if not recent:
        ticket = Ticket(phone=phone, account_id=account_id, restaurant_id=restaurant_id, role=role, status=S.OPEN.value,
                        channel=channel, created_at=now, updated_at=now, messages=[])
        unit.session.add(ticket)
        _message(unit, ticket, "in", phone, channel, body)
        await unit.session.flush()
        audit.record(unit, "ticket", str(ticket.id), "open", actor=actor, to_state=ticket.status, data={"channel": channel})
        return ticket, True
    if latest.status == S.WAITING.value:
        _fire(unit, latest, "write", actor=actor)
    elif latest.status == S.SOLVED.value:
        _fire(unit, latest, "reopen", actor=actor)
        latest.solved_at = None
    _message(unit, latest, "in", phone, channel, body)
    return latest, False


async def language_of(unit: Unit, phone: str, default: str) -> str:
    """The language the person reads: their account's, else their restaurant's, else the default."""
    account = await find_account(unit, phone)
    if account is not None:
        return account.language
    restaurant = await restaurant_by_phone(unit, phone)
    return restaurant.language if restaurant is not None else default


async def ticket_by_id(unit: Unit, ticket_id: int, *, for_update: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id)
    ticket = await unit.session.scalar(query.with_for_update() if for_update else query)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


async def answer(unit: Unit, ticket_id: int, text: str, *, actor: str, default_language: str) -> Ticket:
    """Support's answer: kept on the ticket and sent by SMS in the person's language; their turn now."""
    body = clean(text)
    ticket = await ticket_by_id(unit, ticket_id, for_update=True)
    _fire(unit, ticket, "answer", actor=actor)
    _message(unit, ticket, "out", actor, "sms", body)
    language = await language_of(unit, ticket.phone, default_language)
    await outbox.enqueue(unit, ticket.phone, support_notices.ticket_answer(ticket.id, body, language), kind="support.answer")
    return ticket


async def solve(unit: Unit, ticket_id: int, *, actor: str, default_language: str) -> Ticket:
    """The matter is settled: the person is told, and a new message soon after reopens it."""
    ticket = await ticket_by_id(unit, ticket_id, for_update=True)
    _fire(unit, ticket, "solve", actor=actor)
    ticket.solved_at = unit.now()
    language = await language_of(unit, ticket.phone, default_language)
    await outbox.enqueue(unit, ticket.phone, support_notices.ticket_solved(ticket.id, language), kind="support.solved")
    return ticket


async def tickets_in(unit: Unit, *, status: str | None, limit: int, after_id: int | None) -> list[Ticket]:
    """Tickets (in one status, or all), oldest first, after the cursor."""
    query = select(Ticket)
    if status:
        query = query.where(Ticket.status == status)
    if after_id:
        query = query.where(Ticket.id > after_id)
    return list(await unit.session.scalars(query.order_by(Ticket.id).limit(limit)))
