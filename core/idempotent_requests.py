"""Requests an app may send twice (an `Idempotency-Key`): the first claims its key, its answer is
kept for the retries, a failed one frees the key."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from core.db import Units
from core.dedupe import insert_once
from core.models import IdempotentRequest


@dataclass(frozen=True)
class Claimed:
    """The request that claimed a key first: what it was, and its answer once it has one."""

    fingerprint: str
    status: int | None
    answer: str | None
    created_at: datetime


async def claim(units: Units, account_id: int, key: str, fingerprint: str) -> Claimed | None:
    """Claims the key (committed before the request runs); or the earlier claim of it."""
    async with units.unit() as unit:
        if await insert_once(unit, IdempotentRequest, ["account_id", "key"],
                             account_id=account_id, key=key, fingerprint=fingerprint, created_at=unit.now()):
            return None
        row = await unit.session.scalar(
            select(IdempotentRequest).where(IdempotentRequest.account_id == account_id, IdempotentRequest.key == key)
        )
        return Claimed(row.fingerprint, row.status, row.answer, row.created_at)


async def release(units: Units, account_id: int, key: str) -> None:
    async with units.unit() as unit:
        await unit.session.execute(
            delete(IdempotentRequest).where(IdempotentRequest.account_id == account_id, IdempotentRequest.key == key)
        )


async def answered(units: Units, account_id: int, key: str, status: int, answer: str) -> None:
    """Keeps the first request's answer for its retries."""
    async with units.unit() as unit:
        await unit.session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.account_id == account_id, IdempotentRequest.key == key)
            .values(status=status, answer=answer)
        )
