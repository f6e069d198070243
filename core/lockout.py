"""Locking an account after repeated wrong codes, for SMS codes, TOTP codes and recovery codes
alike, on every channel: each code tried is a row of `sign_in_attempts`.

After `max_failures` failures within `window_s` seconds (since the last success) the account is
locked for `lock_s` seconds from the last of them: every code is refused, the right one too,
and the refused tries are not counted (the lock ends when it said). A success, or an admin's
unlock, starts the count again. Decided with the unit's clock."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from core import audit
from core.db import Unit
from core.errors import AccountLocked
from core.models import SignInAttempt

KINDS = ("sms", "totp", "recovery")
UNLOCK = "unlock"  # an admin's: counts as a success


@dataclass(frozen=True)
class LockRules:
    max_failures: int = 10
    window_s: int = 900
    lock_s: int = 900


async def locked_until(unit: Unit, account_id: int, rules: LockRules) -> datetime | None:
    """When the account's lock ends, None when it is not locked now. "Since the last success" is
    by row order, so a success and failures in the same instant count in the order they came."""
    last_success = await unit.session.scalar(
        select(func.max(SignInAttempt.id)).where(SignInAttempt.account_id == account_id, SignInAttempt.succeeded.is_(True))
    )
    failures = select(SignInAttempt.at).where(SignInAttempt.account_id == account_id, SignInAttempt.succeeded.is_(False),
                                              SignInAttempt.id > (last_success or 0))
    latest = list(await unit.session.scalars(failures.order_by(SignInAttempt.id.desc()).limit(rules.max_failures)))
    if len(latest) < rules.max_failures or latest[0] - latest[-1] > timedelta(seconds=rules.window_s):
        return None
    until = latest[0] + timedelta(seconds=rules.lock_s)
    return until if until > unit.now() else None


async def check(unit: Unit, account_id: int, rules: LockRules) -> None:
    """Refuses (AccountLocked, with the seconds left) while the account is locked."""
    until = await locked_until(unit, account_id, rules)
    if until is not None:
        left = math.ceil((until - unit.now()).total_seconds())
        raise AccountLocked(f"too many wrong codes: this account is locked for {math.ceil(left / 60)} more minutes", left)


def record(unit: Unit, account_id: int, kind: str, succeeded: bool, address: str | None = None) -> None:
    unit.session.add(SignInAttempt(account_id=account_id, kind=kind, succeeded=succeeded, at=unit.now(),
                                   address=address[:64] if address else None))


async def unlock(unit: Unit, account_id: int, rules: LockRules, *, actor: str) -> bool:
    """Ends the account's lock now and starts its count again (audited); returns whether it was locked."""
    was = await locked_until(unit, account_id, rules) is not None
    record(unit, account_id, UNLOCK, True)
    audit.record(unit, "account", str(account_id), "unlock", actor=actor, data={"was_locked": was})
    return was
