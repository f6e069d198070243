"""Sends what the outbox holds, each message once, as close as a gateway without idempotency allows.

A worker claims a small batch (twice its concurrency) in one short transaction: status `sending`,
who and when, FOR UPDATE SKIP LOCKED on PostgreSQL so several workers share the work. It sends
through `concurrency` lanes (CHOPBAR_OUTBOX_CONCURRENCY, default 4), so at most that many of its
messages are at the gateway at once. A lane marks each message handed over (`handed_at`,
committed, its lease renewed) immediately before the gateway call; the gateway's answer (sent,
queued again for a retry, or failed) is written as soon as it comes, in the same commit that
hands over the lane's next message (alone if there is none). So a lane never has more than one
message at the gateway unrecorded, and a message costs one commit.

What a worker leaves behind:
- Stopped (SIGTERM or SIGINT to `chopbar worker`, or the web process of the embedded default
  stopping): it claims nothing more, finishes the sends in flight, records their answers and puts
  the claims it had not handed over back to `queued`, retakeable at once. Nothing is sent twice.
- Killed: its claims stay `sending` until their lease (CHOPBAR_OUTBOX_LEASE, 60 s from the claim
  or the hand-over) runs out, then another worker takes them again. Those it never handed over
  are sent once. Those handed over and not recorded, at most one per lane (`concurrency` per
  worker: the sends under way when it died, or answered in the last moment before it), are sent
  again: Africa's Talking has no idempotency key and cannot be asked whether it took them.
  Nothing is lost; a killed worker causes at most `concurrency` duplicates, one lease after its
  death, each logged as "sent again, maybe twice".
- A gateway call that fails or times out (the senders give up after 10 s) is retried with
  backoff like any gateway failure; a gateway that took the message but whose answer was lost
  then has it twice. That is the only other way a message is sent twice.

A live worker hands each claim over within one send of claiming it and records each answer
within the gateway's timeout, so the lease must stay well above the senders' 10 s, and the
workers' clocks must agree to well within it. Numbers that said STOP get only what
`core.consent` lets through. A message holding a code (`redacted_body`) has its body replaced by
the masked copy in the same statement that marks it sent or failed.
"""
import asyncio
import logging
import os
import secrets
import socket
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from channels.outages import is_outage
from channels.senders.sender import Sender, Sent
from channels.senders.whatsapp_text import plain_text
from core.consent import may_send
from core.db import Database
from core.formatting import gsm7_safe
from core.models import Account, OutboxMessage
from core.provider_error import ProviderError

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(seconds=60)
CONCURRENCY = 4
MAX_ATTEMPTS = 8
BACKOFF_S = (2, 5, 15, 30, 60, 120, 300, 600)
CONFIRM_RETRY_S = (0.2, 0.5, 1, 2, 4, 8)  # a database blip must not turn a sent message into a duplicate
REPORT_RETRY_S = (0.1, 0.2, 0.4, 0.8, 0)
M = OutboxMessage


@dataclass(frozen=True)
class Claimed:
    """A claimed message as the claim read it: nobody else changes it while the claim holds."""

    id: int
    channel: str
    to_phone: str
    body: str
    redacted_body: str | None
    attempts: int
    handed_at: datetime | None  # set: an earlier worker handed it over and never confirmed it


@dataclass(frozen=True)
class Answer:
    """What the gateway said of one send, until it is written."""

    message: Claimed
    values: dict  # the outbox row's new fields
    failure: ProviderError | None


def _masked():
    """The body as it may be kept once the message has left (or never will): its code starred out."""
    return {"body": func.coalesce(M.redacted_body, M.body), "redacted_body": None}


class OutboxWorker:
    def __init__(self, db: Database, senders: dict[str, Sender], name: str | None = None, *,
                 concurrency: int = CONCURRENCY, lease: timedelta = CLAIM_LEASE) -> None:
        self.db = db
        self.senders = senders  # by channel: "sms", "whatsapp"
        # Unique to this run of the process: a container restarted as pid 1 on the same host is
        # another worker, and must retake what its predecessor left.
        self.name = name or f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"
        self.concurrency = max(1, concurrency)
        self.batch = 2 * self.concurrency  # a lane finds its next message claimed already
        self.lease = lease
        self.slots = asyncio.Semaphore(self.concurrency)  # per worker, however many runs share it
        self.stopping = False

    def stop(self) -> None:
        """Claim nothing more; the runs under way finish their sends and release the rest."""
        self.stopping = True

    async def claim(self) -> list[Claimed]:
        async with self.db.unit() as unit:
            now = unit.now()
            due = or_(
                and_(M.status == "queued", M.next_attempt_at <= now),
                # Another worker's lapsed claim; a lapsed claim of our own is a slow send, not a death.
                and_(M.status == "sending", M.claimed_at <= now - self.lease, M.claimed_by != self.name),
            )
            picked = select(M.id).where(due).order_by(M.id).limit(self.batch).with_for_update(skip_locked=True)
            # One UPDATE that writes first: on SQLite it takes the write lock before it reads, so two
            # processes never fail on each other's snapshot.
            rows = (await unit.session.execute(
                update(M).where(M.id.in_(picked.scalar_subquery()))
                .values(status="sending", claimed_by=self.name, claimed_at=now)
                .returning(M.id, M.channel, M.to_phone, M.to_phone_key, M.body, M.redacted_body, M.attempts, M.handed_at, M.kind)
                .execution_options(synchronize_session=False)
            )).all()
            if not rows:
                return []
            silenced = set(await unit.session.scalars(
                select(Account.phone_key).where(Account.phone_key.in_({r.to_phone_key for r in rows}), Account.opted_out.is_(True))
            ))
            refused = [r.id for r in rows if r.to_phone_key in silenced and not may_send(r.kind, opted_out=True)]
            if refused:
                await unit.session.execute(
                    update(M).where(M.id.in_(refused))
                    .values(status="failed", last_error="recipient said STOP", **_masked())
                    .execution_options(synchronize_session=False)
                )
        claimed = [Claimed(r.id, r.channel, r.to_phone, r.body, r.redacted_body, r.attempts, r.handed_at)
                   for r in sorted(rows, key=lambda r: r.id) if r.id not in refused]
        for message in claimed:
            if message.handed_at is not None:
                log.warning("message handed over by a worker that never confirmed it: sent again, maybe twice",
                            extra={"fields": {"id": message.id, "handed_at": message.handed_at.isoformat()}})
        return claimed

    async def run(self) -> int:
        """Sends what is due until nothing is left or the worker stops; returns how many it handled."""
        waiting: deque[Claimed] = deque()
        refill = asyncio.Lock()
        state = {"handled": 0, "exhausted": False, "broken": False, "error": None}

        async def take() -> Claimed | None:
            async with refill:  # one lane claims while the others keep sending
                if not waiting and not state["exhausted"] and not self.stopping:
                    found = await self.claim()
                    state["exhausted"] = not found
                    waiting.extend(found)
            return waiting.popleft() if waiting and not self.stopping and not state["broken"] else None

        async def lane() -> None:
            answer: Answer | None = None  # the last send's outcome, written with the next hand-over
            try:
                while not state["broken"]:
                    message = await take()
                    if message is None:
                        break
                    state["handled"] += 1
                    async with self.slots:
                        last, answer = answer, None
                        if await self._record(last, message):
                            answer = await self._send(message)
            except Exception as exc:  # the database went away: stop taking, release what is left, then say so
                state["broken"], state["error"] = True, state["error"] or exc
            finally:
                if answer is not None:  # not written yet, nor tried
                    try:
                        await self._record(answer, None)
                    except Exception as exc:  # logged; its lease brings the message back
                        state["broken"], state["error"] = True, state["error"] or exc

        try:
            await asyncio.gather(*(lane() for _ in range(self.concurrency)))
        finally:
            if waiting:
                await self.release([m.id for m in waiting])
        if state["error"] is not None:
            raise state["error"]  # the job loop tells an outage once and backs off
        return state["handled"]

    async def release(self, ids: list[int]) -> None:
        """Claims never handed over go back to the queue, for any worker to take at once."""
        try:
            async with self.db.unit() as unit:
                await unit.session.execute(
                    update(M).where(M.id.in_(ids), M.status == "sending", M.claimed_by == self.name, M.handed_at.is_(None))
                    .values(status="queued", claimed_by=None, claimed_at=None)
                    .execution_options(synchronize_session=False)
                )
        except Exception as exc:  # the database is away: their lease brings them back instead
            if not is_outage(exc):
                raise
            log.warning("claims not released", extra={"fields": {"ids": ids, "error": repr(exc)[:240]}})

    async def _send(self, message: Claimed) -> "Answer":
        sender = self.senders.get(message.channel) or self.senders["sms"]  # no WhatsApp sender: SMS instead
        try:
            sent = await sender.send(message.to_phone, gsm7_safe(message.body) if message.channel == "sms" else message.body)
        except ProviderError as failure:
            return Answer(message, self._failed_values(message, failure), failure)
        except Exception as exc:  # a sender's own bug: retried and then given up, never looped on forever
            log.exception("sender failed", extra={"fields": {"id": message.id}})
            failure = ProviderError(f"sender error: {exc!r}", retryable=True)
            return Answer(message, self._failed_values(message, failure), failure)
        return Answer(message, self._sent_values(sent), None)

    async def _record(self, answer: "Answer | None", handing: Claimed | None) -> bool:
        """Writes the last send's outcome and hands the next message over, in one commit: a lane
        never has more than one message at the gateway unrecorded. False if `handing` was taken
        over by another worker (its lease ran out). Retried through a short database outage."""
        waits = [w for w in CONFIRM_RETRY_S if w < self.lease.total_seconds() / 4]
        for attempt in range(len(waits) + 1):
            try:
                async with self.db.unit() as unit:
                    recorded = handed = True
                    if answer is not None:
                        recorded = await self._ours(unit, answer.message.id, answer.values)
                    if handing is not None:
                        now = unit.now()
                        handed = await self._ours(unit, handing.id, {"handed_at": now, "claimed_at": now})
                break
            except Exception as exc:
                if not is_outage(exc) or attempt == len(waits):
                    if answer is not None:
                        log.warning("send not recorded: the message will be sent again after its lease",
                                    extra={"fields": {"id": answer.message.id}})
                    raise
                await asyncio.sleep(waits[attempt])
        if answer is not None and not recorded:
            log.warning("send finished after the claim was taken over", extra={"fields": {"id": answer.message.id}})
        elif answer is not None and answer.values.get("status") == "failed":
            log.warning("message not sent", extra={"fields": {"id": answer.message.id, "error": str(answer.failure)[:240]}})
        return handed

    async def _ours(self, unit, message_id: int, values: dict) -> bool:
        """Changes a message this worker still holds; False if another worker has taken it since."""
        result = await unit.session.execute(
            update(M).where(M.id == message_id, M.status == "sending", M.claimed_by == self.name)
            .values(**values).execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def _sent_values(self, sent: Sent) -> dict:
        now = self.db.clock()
        return {"status": "sent", "provider": sent.provider, "provider_message_id": sent.message_id, "sent_at": now,
                "attempts": M.attempts + 1, **_masked()}

    def _failed_values(self, message: Claimed, failure: ProviderError) -> dict:
        now = self.db.clock()
        attempts = message.attempts + 1
        values = {"attempts": attempts, "last_error": str(failure)[:240]}
        again = {"status": "queued", "claimed_by": None, "claimed_at": None, "handed_at": None}
        if failure.outside_window and message.channel == "whatsapp":
            # WhatsApp will not carry it outside the 24-hour window: it goes by SMS instead.
            masked = plain_text(message.redacted_body) if message.redacted_body is not None else None
            return {**values, **again, "channel": "sms", "body": plain_text(message.body), "redacted_body": masked,
                    "next_attempt_at": now}
        if failure.retryable and attempts < MAX_ATTEMPTS:
            wait = BACKOFF_S[min(attempts - 1, len(BACKOFF_S) - 1)]
            return {**values, **again, "next_attempt_at": now + timedelta(seconds=wait)}
        return {**values, "status": "failed", **_masked()}

    async def close(self) -> None:
        for sender in self.senders.values():
            await sender.close()


async def delivery_report(db: Database, provider: str, message_id: str, delivered: bool, reason: str | None) -> bool:
    """A gateway's word on a message it took: delivered or failed. False if we never sent it.

    A fast gateway can report before the worker has stored the gateway's id (the report races
    the worker's own commit), so an unknown id is looked for again for a moment. The report
    writes first, so a worker committing meanwhile never makes it fail on SQLite.
    """
    ours = and_(M.provider == provider, M.provider_message_id == message_id)
    waits = list(REPORT_RETRY_S)
    for _ in range(2 * len(waits)):
        async with db.unit() as unit:
            if delivered:
                change = update(M).where(ours).values(status="delivered", delivered_at=unit.now())
            else:
                change = update(M).where(ours, M.status != "delivered").values(status="failed", last_error=(reason or "undelivered")[:240])
            if (await unit.session.execute(change.execution_options(synchronize_session=False))).rowcount:
                return True
            status = await unit.session.scalar(select(M.status).where(ours))
        if status == "delivered" and not delivered:
            return True  # a late failure never undoes a delivery
        if status is None:  # not stored yet; found since the update (PostgreSQL reads afresh): again at once
            if not waits:
                break
            await asyncio.sleep(waits.pop(0))
    log.warning("delivery report for an unknown message", extra={"fields": {"provider": provider, "id": message_id}})
    return False
