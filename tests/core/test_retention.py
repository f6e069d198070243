"""Retention: what is past its period goes (codes, message bodies, funnel days, sign-in logs,
expired data requests), the rest stays; a dry run changes nothing; a second run finds nothing."""
import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select

from core import audit
from core.models import (
    AuditEvent, InboundMessage, OtpCode, OutboxMessage, PersonalDataRequest, SignInAttempt, UssdScreenDay,
)
from core.retention import DAY_S, Periods, purge
from tests import demo

PERIODS = Periods()  # the defaults: 7, 90, 30 and 365 days


async def stored(db, clock) -> dict[str, int]:
    """Two of each kind: one just past its period, one just within it."""
    now = clock.now
    async with db.unit() as unit:
        account = await demo.account(unit, demo.CUSTOMER_FR.phone)
        s = unit.session
        for days in (8, 6):
            at = now - timedelta(days=days)
            s.add(OtpCode(phone="+237677000009", code_hash="x" * 64, expires_at=at + timedelta(minutes=5), created_at=at))
        for days, status in ((91, "delivered"), (91, "queued"), (89, "sent")):
            at = now - timedelta(days=days)
            s.add(OutboxMessage(channel="sms", to_phone="+237677000009", body="Your code 1234", kind="customer.reply",
                                status=status, next_attempt_at=at, created_at=at))
        for n, days in enumerate((91, 89)):
            at = now - timedelta(days=days)
            s.add(InboundMessage(provider="africastalking", message_id=f"keep-{n}", channel="sms", phone="+237677000009",
                                 text="MENU Bastos", received_at=at, next_attempt_at=at, handled_at=at))
        for days in (31, 29):
            s.add(UssdScreenDay(day=(now - timedelta(days=days)).date(), screen="home", reached=3, left=1))
        for days, entity in ((366, "account"), (366, "order"), (364, "account")):
            row = audit.event(unit, entity, "1", "signed_in", actor="system")
            row.at = now - timedelta(days=days)
            s.add(row)
        for days in (366, 364):
            s.add(SignInAttempt(account_id=account.id, kind="sms", succeeded=False, at=now - timedelta(days=days)))
        for hours in (-1, 1):
            s.add(PersonalDataRequest(account_id=account.id, kind="export", token_hash=f"{hours:+d}".ljust(64, "0"),
                                      created_at=now - timedelta(days=1), expires_at=now + timedelta(hours=hours)))
    return await counts(db)


async def counts(db) -> dict[str, int]:
    async with db.unit() as unit:
        s = unit.session

        async def count(model, *where) -> int:
            return await s.scalar(select(func.count()).select_from(model).where(*where))

        return {
            "codes": await count(OtpCode), "outbox bodies": await count(OutboxMessage, OutboxMessage.body != ""),
            "outbox rows": await count(OutboxMessage), "inbound bodies": await count(InboundMessage, InboundMessage.text != ""),
            "funnel": await count(UssdScreenDay), "audit": await count(AuditEvent), "requests": await count(PersonalDataRequest),
            "attempts": await count(SignInAttempt),
        }


async def test_purge_removes_what_is_past_its_period_and_keeps_the_rest(db, clock):
    before = await stored(db, clock)
    would = await purge(db, PERIODS, dry_run=True)
    assert would == {"sign-in codes": 1, "outbox bodies": 1, "inbound bodies": 1, "funnel days": 1, "audit rows": 1,
                     "sign-in attempts": 1, "data requests": 1}
    assert await counts(db) == before
    said = []
    assert await purge(db, PERIODS, batch=1, progress=lambda name, done: said.append((name, done))) == would
    assert said == list(would.items())
    after = await counts(db)
    assert after == {**before, "codes": before["codes"] - 1, "outbox bodies": before["outbox bodies"] - 1,
                     "inbound bodies": before["inbound bodies"] - 1, "funnel": before["funnel"] - 1,
                     "audit": before["audit"] - 1, "requests": before["requests"] - 1,
                     "attempts": before["attempts"] - 1}
    assert after["outbox rows"] == before["outbox rows"]  # blanked, kept for the counts
    assert set((await purge(db, PERIODS)).values()) == {0}  # run again: nothing left to do


async def test_shorter_periods_take_more(db, clock):
    await stored(db, clock)
    got = await purge(db, Periods(codes_s=DAY_S, message_bodies_s=DAY_S, sessions_s=DAY_S, logs_s=DAY_S), dry_run=True)
    assert (got["sign-in codes"], got["outbox bodies"], got["funnel days"], got["audit rows"]) == (2, 2, 2, 2)


def test_the_purge_command_prints_each_kind_and_counts_on_a_dry_run(database_url):
    env = {**os.environ, "CHOPBAR_DATABASE_URL": database_url, "CHOPBAR_RETENTION_CODES": "0"}
    run = subprocess.run([sys.executable, "-m", "chopbar.cli", "purge", "--dry-run"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("sign-in codes") and "would go" in lines[0]
    assert lines[-1].endswith("rows to purge")


async def test_the_worker_purges_on_its_schedule_with_the_settings_periods(db, clock, settings):
    from chopbar.worker import jobs_for

    await stored(db, clock)
    jobs = jobs_for(settings.model_copy(update={"retention_codes": 0}), db)
    try:
        job = next(j for j in jobs if j.name == "retention")
        assert job.every_s == settings.retention_every
        assert await job.run() == 0  # one pass takes every batch; the next waits its period
        assert (await counts(db))["codes"] == 0
    finally:
        for each in jobs:
            if each.close is not None:
                await each.close()
