"""A person's data, all of it and nobody else's: the export document, its summary for an SMS,
and the one-time download link MYDATA sends.

A person is their account and their number. Messages and tickets are found by number (the
`_*_of` functions below hold every comparison on a phone column, one per table); the rest by
account. What belongs to someone else is left out: another payer's number, a driver, the
customers of a job they drove.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from core.accounts import find_account
from core.db import Unit, Units
from core.errors import ChopbarError, NotFound
from core.sealing import blind
from core.models import (
    Account, Address, AuditEvent, DeliveryJob, Favourite, InboundMessage, Invitation, LoyaltyMovement, Order,
    OutboxMessage, Payment, PersonalDataRequest, Rating, RefreshToken, SecondFactor, SignInAttempt, Ticket,
)

SCHEMA_VERSION = 1
DEFAULT_LINK_TTL_S = 86_400


class LinkUsed(ChopbarError):
    """An export link already downloaded, or past its time: 410 Gone."""

    code = "gone"
    status = 410


# Every comparison on a phone column lives here, one function per table: numbers are sealed,
# so each compares the number's blind index (core.sealing).
def _outbox_to(phone: str):
    return OutboxMessage.to_phone_key == blind(phone)


def _inbound_from(phone: str):
    return InboundMessage.phone_key == blind(phone)


def _tickets_of(phone: str, account_id: int):
    return or_(Ticket.phone_key == blind(phone), Ticket.account_id == account_id)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def masked(phone: str) -> str:
    """Someone else's number the person gave us (a friend invited), shown without being given away."""
    return phone[:4] + "*" * max(len(phone) - 7, 0) + phone[-3:]  # +237******456


# A number in a text, in any of the forms we write or people type: 8 to 15 digits, spaced or not.
# Order codes (6 digits), handover codes (4) and amounts (spaced by thousands, then FCFA) are shorter.
NUMBER_IN_TEXT = re.compile(r"\+?\d(?:[ .-]?\d){7,14}")


def others_masked(text: str, own: str) -> str:
    """The text with every number but the person's own masked: a driver's number in "on the way
    with Brice (6 70 00 00 11)", a friend's in an invitation."""
    mine = own[-9:]

    def mask(found: re.Match) -> str:
        digits = re.sub(r"\D", "", found.group())
        return found.group() if digits[-9:] == mine else masked("+" + digits if len(digits) > 9 else "+237" + digits)

    return NUMBER_IN_TEXT.sub(mask, text or "")


async def _account(unit: Unit, account_id: int) -> Account:
    account = await unit.session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    return account


def _order(order: Order, payments: list[Payment], jobs: list[DeliveryJob], phone: str) -> dict[str, Any]:
    return {
        "code": order.code, "status": order.status, "restaurant_id": order.restaurant_id, "channel": order.channel,
        "language": order.language, "fulfilment": order.fulfilment, "payment_method": order.payment_method,
        "payer_phone": order.payer_phone if order.payer_phone == phone else None,
        "city": order.city, "quarter": order.quarter_text, "landmark": order.landmark, "directions": order.directions,
        "subtotal_xaf": order.subtotal_xaf, "delivery_fee_xaf": order.delivery_fee_xaf,
        "discount_xaf": order.discount_xaf, "points_spent": order.points_spent, "points_xaf": order.points_xaf,
        "total_xaf": order.total_xaf, "cancel_reason": order.cancel_reason,
        "created_at": _at(order.created_at), "placed_at": _at(order.placed_at),
        "lines": [{"name_en": l.name_en, "name_fr": l.name_fr, "options": l.options, "quantity": l.quantity,
                   "unit_price_xaf": l.unit_price_xaf, "line_total_xaf": l.line_total_xaf} for l in order.lines],
        "payments": [{"reference": p.reference, "method": p.method, "provider": p.provider, "status": p.status,
                      "amount_xaf": p.amount_xaf, "refunded_xaf": p.refunded_xaf,
                      "payer_phone": p.payer_phone if p.payer_phone == phone else None,
                      "created_at": _at(p.created_at)} for p in payments],
        # The job's status and fee; the driver is another person, so neither their id nor number.
        "deliveries": [{"status": j.status, "fee_xaf": j.fee_xaf, "created_at": _at(j.created_at),
                        "updated_at": _at(j.updated_at)} for j in jobs],
    }


async def document(unit: Unit, account_id: int) -> dict[str, Any]:
    """Everything held about this account and its number, as one JSON-able document."""
    account = await _account(unit, account_id)
    phone, s = account.phone, unit.session
    orders = list(await s.scalars(select(Order).where(Order.account_id == account_id).order_by(Order.id)))
    order_ids = [o.id for o in orders]
    payments = list(await s.scalars(select(Payment).where(Payment.order_id.in_(order_ids)).order_by(Payment.id)))
    jobs = list(await s.scalars(select(DeliveryJob).where(DeliveryJob.order_id.in_(order_ids)).order_by(DeliveryJob.id)))
    driven = await s.execute(
        select(DeliveryJob.status, DeliveryJob.fee_xaf, DeliveryJob.created_at, Order.code)
        .join(Order, Order.id == DeliveryJob.order_id)
        .where(DeliveryJob.driver_account_id == account_id).order_by(DeliveryJob.id)
    )
    addresses = await s.scalars(select(Address).where(Address.account_id == account_id).order_by(Address.id))
    sent = await s.scalars(select(OutboxMessage).where(_outbox_to(phone)).order_by(OutboxMessage.id))
    received = await s.scalars(select(InboundMessage).where(_inbound_from(phone)).order_by(InboundMessage.id))
    tickets = await s.scalars(select(Ticket).where(_tickets_of(phone, account_id)).order_by(Ticket.id))
    movements = await s.scalars(select(LoyaltyMovement).where(LoyaltyMovement.account_id == account_id)
                                .order_by(LoyaltyMovement.id))
    invited = await s.scalars(select(Invitation).where(Invitation.inviter_account_id == account_id).order_by(Invitation.id))
    favourites = await s.scalars(select(Favourite).where(Favourite.account_id == account_id).order_by(Favourite.id))
    ratings = await s.scalars(select(Rating).where(Rating.account_id == account_id).order_by(Rating.id))
    logins = await s.scalars(select(RefreshToken).where(RefreshToken.account_id == account_id).order_by(RefreshToken.id))
    attempts = await s.scalars(select(SignInAttempt).where(SignInAttempt.account_id == account_id).order_by(SignInAttempt.id))
    factor = await s.scalar(select(SecondFactor).where(SecondFactor.account_id == account_id))
    events = await s.scalars(select(AuditEvent).where(AuditEvent.entity == "account", AuditEvent.entity_ref == str(account_id))
                             .order_by(AuditEvent.id))
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": unit.now().isoformat(),
        "account": {"id": account.id, "phone": phone, "name": account.name, "language": account.language,
                    "created_at": _at(account.created_at),
                    "roles": [{"role": r.role, "restaurant_id": r.restaurant_id} for r in account.roles]},
        "consent": {"messages_stopped": account.opted_out},  # STOP said, and not START since
        "account_events": [{"trigger": e.trigger, "actor": e.actor if e.actor.startswith("customer") else e.actor.split(":")[0],
                            "at": _at(e.at)} for e in events],
        "addresses": [{"city": a.city, "quarter": a.quarter_text, "landmark": a.landmark, "directions": a.directions,
                       "lat": a.lat, "lon": a.lon, "created_at": _at(a.created_at), "last_used_at": _at(a.last_used_at)}
                      for a in addresses],
        "orders": [_order(o, [p for p in payments if p.order_id == o.id], [j for j in jobs if j.order_id == o.id], phone)
                   for o in orders],
        "deliveries_driven": [{"order_code": code, "status": status, "fee_xaf": fee, "created_at": _at(at)}
                              for status, fee, at, code in driven.all()],
        "messages_sent_to_you": [{"channel": m.channel, "kind": m.kind, "status": m.status,
                                  "body": others_masked(m.redacted_body or m.body, phone),
                                  "created_at": _at(m.created_at)} for m in sent],
        "messages_from_you": [{"channel": m.channel, "text": others_masked(m.text, phone),
                               "received_at": _at(m.received_at)} for m in received],
        "tickets": [{"id": t.id, "role": t.role, "status": t.status, "channel": t.channel, "created_at": _at(t.created_at),
                     "messages": [{"direction": m.direction, "body": others_masked(m.body, phone), "channel": m.channel,
                                   "created_at": _at(m.created_at)} for m in t.messages]} for t in tickets],
        "loyalty": {"points": account.loyalty_points,
                    "movements": [{"kind": m.kind, "points": m.points, "created_at": _at(m.created_at)} for m in movements]},
        "invitations": [{"phone": masked(i.phone), "created_at": _at(i.created_at), "rewarded_at": _at(i.rewarded_at)}
                        for i in invited],
        "favourites": [{"restaurant_id": f.restaurant_id, "dish_id": f.dish_id, "created_at": _at(f.created_at)}
                       for f in favourites],
        "ratings": [{"order_code": r.order_code, "status": r.status, "restaurant_stars": r.restaurant_stars,
                     "driver_stars": r.driver_stars, "comment": r.comment, "answer": r.answer,
                     "rated_at": _at(r.rated_at)} for r in ratings],
        "sign_ins": [{"created_at": _at(t.created_at), "expires_at": _at(t.expires_at), "revoked_at": _at(t.revoked_at)}
                     for t in logins],
        "sign_in_attempts": [{"kind": a.kind, "succeeded": a.succeeded, "at": _at(a.at), "address": a.address}
                             for a in attempts],
        "second_factor": {"enrolled": factor is not None and factor.confirmed_at is not None,
                          "confirmed_at": _at(factor.confirmed_at) if factor is not None else None},
    }


async def export(units: Units, account_id: int) -> dict[str, Any]:
    async with units.unit() as unit:
        return await document(unit, account_id)


@dataclass(frozen=True)
class Summary:
    orders: int
    addresses: int
    points: int
    messages: int
    token: str  # the link's, given once: only its digest is kept


async def summary_with_link(units: Units, phone: str, *, ttl_s: int = DEFAULT_LINK_TTL_S) -> Summary:
    """What MYDATA answers: the counts, and a new one-time link to the whole export."""
    async with units.unit() as unit:
        account = await find_account(unit, phone)
        if account is None:
            raise NotFound("no account for this number")
        s = unit.session
        orders = await s.scalar(select(func.count()).select_from(Order).where(Order.account_id == account.id))
        addresses = await s.scalar(select(func.count()).select_from(Address).where(Address.account_id == account.id))
        messages = await s.scalar(select(func.count()).select_from(OutboxMessage).where(_outbox_to(phone)))
        messages += await s.scalar(select(func.count()).select_from(InboundMessage).where(_inbound_from(phone)))
        token = secrets.token_urlsafe(16)  # 128 bits; short enough for the link to fit the SMS
        now = unit.now()
        s.add(PersonalDataRequest(account_id=account.id, kind="export", token_hash=digest(token),
                                  expires_at=now + timedelta(seconds=ttl_s), created_at=now))
        return Summary(orders, addresses, account.loyalty_points, messages, token)


async def download(units: Units, token: str) -> dict[str, Any]:
    """The export behind a link, once: a link used or past its time is Gone, an unknown one Not Found."""
    async with units.unit() as unit:
        mine = (PersonalDataRequest.token_hash == digest(token), PersonalDataRequest.kind == "export")
        account_id = await unit.session.scalar(select(PersonalDataRequest.account_id).where(*mine))
        if account_id is None:
            raise NotFound("no such export link")
        # One conditional UPDATE: of two downloads at once, one takes the link.
        taken = await unit.session.execute(
            update(PersonalDataRequest).where(*mine, PersonalDataRequest.used_at.is_(None),
                                              PersonalDataRequest.expires_at > unit.now())
            .values(used_at=unit.now()).execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            raise LinkUsed("this export link was used already or has expired: send MYDATA for a new one")
        return await document(unit, account_id)
