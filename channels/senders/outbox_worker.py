"""Sends what the outbox holds: claimed in batches, retried with backoff, each message once.

A batch is claimed (status `sending`, who and when) in its own short transaction, with
FOR UPDATE SKIP LOCKED on PostgreSQL so several workers share the work. A worker that dies
between claiming and sending leaves its claims to expire after CLAIM_LEASE; they are then
claimed again and sent, once. Numbers that said STOP get only what `core.consent` lets through.
"""
import asyncio
import logging
import os
import socket
from datetime import timedelta

from sqlalchemy import and_, or_, select

from channels.senders.sender import SendFailed, Sender
from channels.senders.whatsapp_cloud import OutsideWindow, plain_text
from core.consent import may_send
from core.db import Database
from core.formatting import gsm7_safe
from core.models import Account, OutboxMessage

log = logging.getLogger(__name__)
BATCH = 50
CLAIM_LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 8
BACKOFF_S = (2, 5, 15, 30, 60, 120, 300, 600)
REPORT_RETRY_S = (0.1, 0.2, 0.4, 0.8, 0)


class OutboxWorker:
    def __init__(self, db: Database, senders: dict[str, Sender], name: str | None = None) -> None:
        self.db = db
        self.senders = senders  # by channel: "sms", "whatsapp"
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"

    async def claim(self) -> list[int]:
        async with self.db.unit() as unit:
            now = unit.now()
            query = (
                select(OutboxMessage)
                .where(
                    or_(
                        and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
                        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= now - CLAIM_LEASE),
                    )
                )
                .order_by(OutboxMessage.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            claimed = list(await unit.session.scalars(query))
            for message in claimed:
                message.status, message.claimed_by, message.claimed_at = "sending", self.name, now
            return [m.id for m in claimed]

    async def run(self) -> int:
        ids = await self.claim()
        await asyncio.gather(*(self.deliver(message_id) for message_id in ids))
        return len(ids)

    async def deliver(self, message_id: int) -> None:
        async with self.db.unit() as unit:
            message = await unit.session.get(OutboxMessage, message_id)
            if message.status != "sending" or message.claimed_by != self.name:
                return  # someone else took it over after our lease ran out
            account = await unit.session.scalar(select(Account).where(Account.phone == message.to_phone))
            if account is not None and not may_send(message.kind, opted_out=account.opted_out):
                message.status, message.last_error = "failed", "recipient said STOP"
                return
            to_phone, body, channel = message.to_phone, message.body, message.channel
        sender = self.senders.get(channel) or self.senders["sms"]  # no WhatsApp sender: SMS instead
        try:
            sent = await sender.send(to_phone, gsm7_safe(body) if channel == "sms" else body)
        except SendFailed as failure:
            await self._failed(message_id, failure)
            return
        async with self.db.unit() as unit:
            message = await unit.session.get(OutboxMessage, message_id)
            message.status, message.provider, message.provider_message_id = "sent", sent.provider, sent.message_id
            message.sent_at = unit.now()
            message.attempts += 1

    async def _failed(self, message_id: int, failure: SendFailed) -> None:
        async with self.db.unit() as unit:
            message = await unit.session.get(OutboxMessage, message_id)
            message.attempts += 1
            message.last_error = str(failure)[:240]
            if isinstance(failure, OutsideWindow) and message.channel == "whatsapp":
                # WhatsApp will not carry it outside the 24-hour window: it goes by SMS instead.
                message.channel, message.body = "sms", plain_text(message.body)
                message.status, message.next_attempt_at = "queued", unit.now()
                return
            if failure.retryable and message.attempts < MAX_ATTEMPTS:
                wait = BACKOFF_S[min(message.attempts - 1, len(BACKOFF_S) - 1)]
                message.status, message.next_attempt_at = "queued", unit.now() + timedelta(seconds=wait)
            else:
                message.status = "failed"
                log.warning("message not sent", extra={"fields": {"id": message_id, "error": message.last_error}})

    async def close(self) -> None:
        for sender in self.senders.values():
            await sender.close()


async def delivery_report(db: Database, provider: str, message_id: str, delivered: bool, reason: str | None) -> bool:
    """A gateway's word on a message it took: delivered or failed. False if we never sent it.

    A fast gateway can report before the worker has stored the gateway's id (the report races
    the worker's own commit), so an unknown id is looked for again for a moment.
    """
    for wait in REPORT_RETRY_S:
        async with db.unit() as unit:
            message = await unit.session.scalar(
                select(OutboxMessage).where(OutboxMessage.provider == provider, OutboxMessage.provider_message_id == message_id)
            )
            if message is not None:
                if delivered:
                    message.status, message.delivered_at = "delivered", unit.now()
                elif message.status != "delivered":
                    message.status, message.last_error = "failed", (reason or "undelivered")[:240]
                return True
        await asyncio.sleep(wait)
    log.warning("delivery report for an unknown message", extra={"fields": {"provider": provider, "id": message_id}})
    return False
