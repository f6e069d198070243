"""Retention: what is removed once it is older than its period (seconds, from the settings).

| what                                  | past the period                     | setting                     |
|---------------------------------------|-------------------------------------|-----------------------------|
| sign-in codes (used or expired)       | deleted                             | CHOPBAR_RETENTION_CODES     |
| outbox and inbound message bodies     | blanked; the rows stay, for counts  | CHOPBAR_RETENTION_MESSAGE_BODIES |
| USSD funnel days (ended sessions' counts) | deleted                         | CHOPBAR_RETENTION_SESSIONS  |
| audit rows of sign-ins, webhooks, STOP | deleted; money's and erasures' kept | CHOPBAR_RETENTION_LOGS      |
| export links and deletion requests    | deleted once expired                | (their own lifetime)        |

Each kind goes in batches, one transaction each; a batch takes only rows still to purge, so a
run stopped half way, or run twice, leaves the same result.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from core.db import Units
from core.models import (
    AuditEvent, InboundMessage, OtpCode, OutboxMessage, PersonalDataRequest, SignInAttempt, UssdScreenDay,
)

DAY_S = 86_400
# Audit entities that are no money trail: sign-ins and logins (account), provider webhooks
# refused, quarters added. Orders, payments, payouts, deliveries and erasures are kept.
PURGED_LOGS = ("account", "webhook", "quarter")
KEPT_TRIGGERS = ("cash_remitted",)  # money, though filed under the driver's account
FINISHED_MESSAGES = ("sent", "delivered", "failed")
BATCH = 500


@dataclass(frozen=True)
class Periods:
    codes_s: int = 7 * DAY_S
    message_bodies_s: int = 90 * DAY_S
    sessions_s: int = 30 * DAY_S
    logs_s: int = 365 * DAY_S


def _kinds(periods: Periods):
    """(name, the ids of a batch still to purge, what to do to them), one per kind."""

    def cutoff(seconds: int):
        return lambda unit: unit.now() - timedelta(seconds=seconds)

    return [
        ("sign-in codes", OtpCode, lambda u: OtpCode.created_at < cutoff(periods.codes_s)(u), "delete"),
        ("outbox bodies", OutboxMessage, lambda u: (OutboxMessage.created_at < cutoff(periods.message_bodies_s)(u))
         & OutboxMessage.status.in_(FINISHED_MESSAGES) & (OutboxMessage.body != ""),
         {"body": "", "redacted_body": None}),
        ("inbound bodies", InboundMessage, lambda u: (InboundMessage.received_at < cutoff(periods.message_bodies_s)(u))
         & InboundMessage.handled_at.is_not(None) & (InboundMessage.text != ""), {"text": ""}),
        ("funnel days", UssdScreenDay, lambda u: UssdScreenDay.day < cutoff(periods.sessions_s)(u).date(), "delete"),
        ("audit rows", AuditEvent, lambda u: (AuditEvent.at < cutoff(periods.logs_s)(u))
         & AuditEvent.entity.in_(PURGED_LOGS) & AuditEvent.trigger.not_in(KEPT_TRIGGERS), "delete"),
        ("sign-in attempts", SignInAttempt, lambda u: SignInAttempt.at < cutoff(periods.logs_s)(u), "delete"),
        ("data requests", PersonalDataRequest, lambda u: PersonalDataRequest.expires_at < u.now(), "delete"),
    ]


async def purge(units: Units, periods: Periods, *, dry_run: bool = False, batch: int = BATCH,
                progress: Callable[[str, int], None] = lambda name, done: None) -> dict[str, int]:
    """Purges every kind past its period; the count of each (what would go, with `dry_run`)."""
    counts: dict[str, int] = {}
    for name, model, due, change in _kinds(periods):
        done = 0
        if dry_run:
            async with units.unit() as unit:
                done = await unit.session.scalar(select(func.count()).select_from(model).where(due(unit)))
        else:
            while True:
                async with units.unit() as unit:
                    ids = list(await unit.session.scalars(select(model.id).where(due(unit)).order_by(model.id).limit(batch)))
                    if ids:
                        statement = delete(model) if change == "delete" else update(model).values(**change)
                        await unit.session.execute(statement.where(model.id.in_(ids))
                                                   .execution_options(synchronize_session=False))
                done += len(ids)
                if len(ids) < batch:
                    break
        counts[name] = done
        progress(name, done)
    return counts
