"""Inbound messages we could not answer when they came, Redis or the database being away: kept
in the `inbound_messages` table, or in the local spool while the database is away too, and
answered by a loop in every web process once both are back, through the very conversation
that would have answered them (its gateway-id dedupe makes a replay safe, and a message
answered just before the outage is not answered twice).
"""
import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update

from channels.inbound_spool import Spool
from channels.outages import Watch, which
from core.db import Database
from core.dedupe import insert_once
from core.models import InboundMessage

log = logging.getLogger(__name__)
LEASE_S = 60  # a claimed message not answered by then (its process died) is taken again
PHONES_PER_ROUND = 20  # numbers answered per claim; each number's messages in the order they came
IDLE_S = 2.0  # how often each web process looks for kept messages
MAX_IDLE_S = 5.0  # while Redis or the database stays away: kept messages go out this soon after it returns
GIVE_UP_AFTER = 5  # failures (not outages) before a message is set aside, logged as an error
RETRY_S = 30
FIELDS = ("provider", "message_id", "channel", "phone", "text")

Answer = Callable[[InboundMessage], Awaitable[object]]


class InboundKeeper:
    def __init__(self, db: Database, spool: Spool, watch: Watch | None = None) -> None:
        self.db = db
        self.spool = spool
        self.watch = watch or Watch("database")  # while the database is away, messages go straight to the spool

    async def keep(self, provider: str, message_id: str, channel: str, phone: str, text: str, why: BaseException) -> str:
        """Keeps one message until it can be answered; says where ("table" or "spool")."""
        now = self.db.clock()
        values = {"provider": provider, "message_id": message_id[:120], "channel": channel, "phone": phone, "text": text}
        try:
            await self.watch.call(self._insert, [values], now, repr(why)[:240])
            return "table"
        except Exception as exc:
            if which(exc) != "database":
                raise
        await self.spool.append({**values, "received_at": now.isoformat(), "why": repr(why)[:240]})
        return "spool"

    async def _insert(self, rows: list[dict], now: datetime, why: str | None = None) -> None:
        async with self.db.unit() as unit:
            for row in rows:
                received = row.get("received_at")
                await insert_once(
                    unit, InboundMessage, ["provider", "message_id"], **{f: row[f] for f in FIELDS},
                    received_at=datetime.fromisoformat(received) if received else now, attempts=0,
                    next_attempt_at=now, last_error=(why or row.get("why") or "")[:240] or None,
                )

    async def flush_spool(self) -> int:
        """Moves what the spool holds into the table; returns how many lines it held."""
        moved = 0
        for taken in await self.spool.take():
            rows = [r for r in Spool.read(taken) if _well_formed(r)]
            await self._insert(rows, self.db.clock())
            Spool.done(taken)
            moved += len(rows)
        if moved:
            log.info("spooled messages moved to the database", extra={"fields": {"messages": moved}})
        return moved

    async def answer_due(self, answer: Answer) -> int:
        """Answers the kept messages that are due; returns how many were answered. Raises the
        outage if Redis or the database is still away (the rest wait for the next round)."""
        rows = await self._claim()
        answered = 0
        for index, row in enumerate(rows):
            try:
                await answer(row)
            except Exception as exc:
                if which(exc) is None:
                    await self._failed(row, exc)
                    continue
                await self._release(rows[index:])
                raise
            await self._done(row)
            answered += 1
        if answered:
            log.info("kept messages answered", extra={"fields": {"messages": answered}})
        return answered

    async def _claim(self) -> list[InboundMessage]:
        now = self.db.clock()
        async with self.db.unit() as unit:
            due = and_(InboundMessage.handled_at.is_(None), InboundMessage.next_attempt_at <= now)
            phones = list(await unit.session.scalars(
                select(InboundMessage.phone_key).where(due).group_by(InboundMessage.phone_key)
                .order_by(func.min(InboundMessage.id)).limit(PHONES_PER_ROUND)
            ))
            if not phones:
                return []
            query = select(InboundMessage).where(due, InboundMessage.phone_key.in_(phones)).order_by(InboundMessage.id)
            if self.db.is_postgres:  # several web processes: each takes other numbers
                query = query.with_for_update(skip_locked=True)
            rows = list(await unit.session.scalars(query))
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=LEASE_S)
        return rows

    async def _done(self, row: InboundMessage) -> None:
        async with self.db.unit() as unit:
            await unit.session.execute(
                update(InboundMessage).where(InboundMessage.id == row.id).values(handled_at=unit.now())
            )

    async def _failed(self, row: InboundMessage, exc: Exception) -> None:
        attempts = row.attempts + 1
        given_up = attempts >= GIVE_UP_AFTER
        log.error(
            "kept message could not be answered" + (": given up" if given_up else ""), exc_info=exc,
            extra={"fields": {"provider": row.provider, "message_id": row.message_id[:40], "attempts": attempts}},
        )
        async with self.db.unit() as unit:
            now = unit.now()
            await unit.session.execute(update(InboundMessage).where(InboundMessage.id == row.id).values(
                attempts=attempts, last_error=repr(exc)[:240], handled_at=now if given_up else None,
                next_attempt_at=now + timedelta(seconds=RETRY_S * 2 ** attempts),
            ))

    async def _release(self, rows: list[InboundMessage]) -> None:
        """Claimed messages the outage stopped: due again at once (or at the lease's end, should
        the database itself be the one away)."""
        try:
            async with self.db.unit() as unit:
                await unit.session.execute(
                    update(InboundMessage).where(InboundMessage.id.in_([r.id for r in rows])).values(next_attempt_at=unit.now())
                )
        except Exception as exc:
            if which(exc) is None:
                raise


def _well_formed(record: dict) -> bool:
    if all(isinstance(record.get(f), str) for f in FIELDS):
        return True
    log.warning("spool record without its fields, skipped", extra={"fields": {"keys": sorted(record)[:10]}})
    return False


def through(sms, chats) -> Answer:
    """Answers a kept message as the gateway's handler would have: a text through the SMS
    conversation, a chat through the chat conversation; an outage is raised, not kept again."""

    async def answer(message: InboundMessage) -> object:
        if message.channel == "sms":
            return await sms.handle(message.provider, message.message_id, message.phone, message.text, keep=False)
        return await chats.handle(message.provider, message.message_id, message.channel, message.phone, message.text, keep=False)

    return answer


async def answer_kept(keeper: InboundKeeper, answer: Answer, stop: asyncio.Event, watches: dict[str, Watch]) -> None:
    """The loop each web process runs: moves the spool into the database and answers what is
    due, backing off while it cannot (one log line per outage, from the service's watch)."""
    misses = 0
    while not stop.is_set():
        try:
            await keeper.flush_spool()
            answered = await keeper.answer_due(answer)
            watches.setdefault("database", Watch("database")).answered()  # the claim read it
            while answered and not stop.is_set():
                answered = await keeper.answer_due(answer)
            misses = 0
        except Exception as exc:
            service = which(exc)
            if service is None:
                log.exception("answering kept messages failed")
            else:
                watches.setdefault(service, Watch(service)).failed(exc)
            misses += 1
        try:
            await asyncio.wait_for(stop.wait(), min(IDLE_S * 2 ** max(misses - 1, 0), MAX_IDLE_S))
        except TimeoutError:
            pass
