"""Money out to restaurants and drivers: asked for by SMS or the app, the daily run, an admin's
approval, the list support reads. Sending is the worker's (channels/payments/payouts.py)."""
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from core import audit, payouts
from core.db import Units
from core.dedupe import first_time
from core.errors import BadInput, Forbidden, NotFound
from core.models import Driver, Payout
from core.payouts import PayoutRules


@dataclass(frozen=True)
class PayoutFacts:
    id: int
    reference: str
    kind: str
    beneficiary_id: int
    phone: str
    provider: str
    amount_xaf: int
    status: str
    reason: str
    attempts: int
    requested_by: str
    approved_by: str | None
    provider_reference: str | None
    last_error: str | None
    created_at: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class Asked:
    outcome: str  # started, awaiting_approval, already_open, too_little
    owed_xaf: int
    minimum_xaf: int
    approval_above_xaf: int
    payout: PayoutFacts | None
    wakes: tuple[str, ...] = ()


def facts(p: Payout) -> PayoutFacts:
    return PayoutFacts(
        id=p.id, reference=p.reference, kind=p.kind, beneficiary_id=p.beneficiary_id, phone=p.phone, provider=p.provider,
        amount_xaf=p.amount_xaf, status=p.status, reason=p.reason, attempts=p.attempts, requested_by=p.requested_by,
        approved_by=p.approved_by, provider_reference=p.provider_reference, last_error=p.last_error,
        created_at=p.created_at, paid_at=p.paid_at,
    )


async def ask(units: Units, kind: str, beneficiary_id: int, rules: PayoutRules, *, actor: str) -> Asked:
    """A restaurant (its owner) or a driver asks for what they are owed, now."""
    async with units.unit() as unit:
        if kind == "driver" and await unit.session.get(Driver, beneficiary_id) is None:
            raise Forbidden("only a driver may ask for a driver's payout")
        asked = await payouts.ask(unit, kind, beneficiary_id, rules, reason="request", actor=actor)
        if asked.payout is not None:
            await unit.session.flush()
        return Asked(asked.outcome, asked.owed_xaf, rules.minimum_xaf, rules.approval_above_xaf,
                     facts(asked.payout) if asked.payout is not None else None,
                     wakes=("payouts",) if asked.outcome == "started" else ())


async def daily(units: Units, rules: PayoutRules, *, tz: str, at: time | None, force: bool = False) -> list[PayoutFacts]:
    """Pays everyone owed at least the minimum, once a local day from `at` on (`force`: now, and
    again on a day it already ran). Several workers may call it: the day's mark is taken once."""
    async with units.unit() as unit:
        local = unit.now().astimezone(ZoneInfo(tz))
        if not force and (local.time() < at or not await first_time(unit, "payouts", f"daily:{local.date().isoformat()}")):
            return []
        started = []
        for kind, beneficiary_id, owed_xaf in await payouts.everyone_owed(unit):
            try:
                asked = await payouts.ask(unit, kind, beneficiary_id, rules, reason="daily", actor="system:daily", owed_xaf=owed_xaf)
            except BadInput as why:  # no mobile money to pay them on: noted for support, the others are paid
                audit.record(unit, "payout", f"{kind}:{beneficiary_id}", "skip", actor="system:daily", reason=str(why))
                continue
            if asked.outcome in ("started", "awaiting_approval"):
                started.append(asked.payout)
        await unit.session.flush()
        return [facts(p) for p in started]


@dataclass(frozen=True)
class PaidOn:
    kind: str
    beneficiary_id: int
    phone: str
    wallet: str  # mtn or orange


async def where_paid(units: Units, kind: str, beneficiary_id: int) -> PaidOn:
    async with units.unit() as unit:
        who = await payouts.beneficiary(unit, kind, beneficiary_id)
        return PaidOn(kind, beneficiary_id, who.phone, who.wallet)


async def pay_on(units: Units, kind: str, beneficiary_id: int, phone: str, *, actor: str) -> PaidOn:
    """From now on, pays this restaurant or driver on another MTN or Orange number."""
    async with units.unit() as unit:
        account = await payouts.set_account(unit, kind, beneficiary_id, phone, actor=actor)
        return PaidOn(kind, beneficiary_id, account.phone, account.wallet)


async def approve(units: Units, payout_id: int, rules: PayoutRules, *, actor: str) -> PayoutFacts:
    async with units.unit() as unit:
        return facts(await payouts.approve(unit, payout_id, rules, actor=actor))


async def refuse(units: Units, payout_id: int, rules: PayoutRules, *, actor: str, reason: str) -> PayoutFacts:
    async with units.unit() as unit:
        return facts(await payouts.refuse(unit, payout_id, rules, actor=actor, reason=reason))


async def listed(units: Units, *, status: str | None, limit: int, before_id: int | None) -> list[PayoutFacts]:
    """Payouts, newest first, before the cursor."""
    async with units.unit() as unit:
        return [facts(p) for p in await payouts.listed(unit, status=status, limit=limit, after_id=before_id)]


async def one(units: Units, payout_id: int) -> PayoutFacts:
    async with units.unit() as unit:
        payout = await unit.session.get(Payout, payout_id)
        if payout is None:
            raise NotFound(f"no payout {payout_id}")
        return facts(payout)

