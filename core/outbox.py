"""Putting a message in the outbox, inside the transaction of the change that causes it."""
import re

from sqlalchemy import select

from core.db import Unit
from core.models import OutboxMessage
from core.sealing import blind

CHANNELS = ("sms", "whatsapp")


async def enqueue(
    unit: Unit,
    to_phone: str,
    body: str,
    *,
    kind: str,
    order_id: int | None = None,
    channel: str = "sms",
    dedupe_key: str | None = None,
    fresh: bool = False,
    inline_via: str | None = None,
    secret: str | None = None,
) -> OutboxMessage:
    """Queues one message; with a dedupe_key, a second call for the same key returns the first.

    `fresh` says the key cannot exist yet (it names something created in this transaction),
    so the lookup is skipped; the unique constraint still stands guard. `inline_via` records
    a reply the gateway carries back itself (Twilio's TwiML): already sent, never sent again.
    `secret` names a code inside the body (a sign-in or handover code): the worker replaces
    the body by its masked copy once the message is sent or given up; an inline reply is
    sent already, so it is stored masked at once.
    """
    built = message(unit, to_phone, body, kind=kind, order_id=order_id, channel=channel, dedupe_key=dedupe_key,
                    inline_via=inline_via, secret=secret)
    return await put(unit, built, fresh=fresh)


async def put(unit: Unit, message_: OutboxMessage, *, fresh: bool = False) -> OutboxMessage:
    """Queues a message built by `message`: the first one of its dedupe key stands."""
    if message_.dedupe_key is not None and not fresh:
        found = await unit.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == message_.dedupe_key))
        if found is not None:
            return found
    unit.session.add(message_)
    return message_


_NUMBER = re.compile(r"\+\d{8,15}")


def blinded(dedupe_key: str | None) -> str | None:
    """A dedupe key with each number in it replaced by its blind index: the key stays unique
    and comparable, and no number is kept in clear."""
    return None if dedupe_key is None else _NUMBER.sub(lambda m: blind(m.group()), dedupe_key)


def message(
    unit: Unit,
    to_phone: str,
    body: str,
    *,
    kind: str,
    order_id: int | None = None,
    channel: str = "sms",
    dedupe_key: str | None = None,
    inline_via: str | None = None,
    secret: str | None = None,
) -> OutboxMessage:
    """The outbox row, not yet stored (`enqueue` adds it; a bulk write inserts it itself)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    now = unit.now()
    masked = mask(body, secret) if secret else None
    return OutboxMessage(
        channel=channel,
        to_phone=to_phone,
        body=masked if masked and inline_via else body,
        redacted_body=None if inline_via else masked,
        kind=kind,
        order_id=order_id,
        dedupe_key=blinded(dedupe_key),
        status="sent" if inline_via else "queued",
        provider=inline_via,
        sent_at=now if inline_via else None,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def mask(body: str, secret: str) -> str:
    """The body as it may be kept after sending: every copy of the secret starred out.

    Only where it stands alone: a 4-digit code also occurs inside phone numbers and order codes,
    which must stay readable.
    """
    return re.sub(rf"(?<!\d){re.escape(secret)}(?!\d)", "*" * len(secret), body)


async def messages_to(unit: Unit, phone: str) -> list[OutboxMessage]:
    """Everything sent or queued to one number, oldest first."""
    rows = await unit.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(phone)).order_by(OutboxMessage.id)
    )
    return list(rows)


async def about_order(
    unit: Unit, order, phone: str, body: str, kind: str, *, secret: str | None = None, round_: str | None = None,
) -> OutboxMessage:
    """A message about an order: once per order, kind and recipient (and `round_`, a delivery job
    of a failed delivery sent again), however often it is asked."""
    key = f"order:{order.code}:{kind}:{phone}" + (f":{round_}" if round_ else "")
    return await enqueue(unit, phone, body, kind=kind, order_id=order.id, dedupe_key=key, secret=secret)
