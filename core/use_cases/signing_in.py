"""Signing in on the app, passwordless: a code by SMS, traded for tokens; a refresh token used
once; a login ended. Ending one revokes its access tokens through `revoke` before the database
commits, so a store that cannot take it (503) leaves the login as it was.

Support and admin accounts then give their second factor (core.second_factor): enrol once, then
a TOTP or recovery code trades the SMS-only login for a new one whose tokens say so; the SMS-only
login ends. Every code counts for the lockout (core.lockout)."""
from collections.abc import Awaitable, Callable

from core import auth, lockout, second_factor
from core.auth import Tokens
from core.db import Units
from core.errors import BadInput, Forbidden, NotFound, Unauthorized
from core.lockout import LockRules
from core.models import Account
from core.revocation import Revocation, login_ended

Revoke = Callable[[Revocation], Awaitable[None]]


async def send_code(units: Units, phone: str, *, secret: str, default_language: str) -> None:
    async with units.unit() as unit:
        await auth.send_code(unit, phone, secret=secret, default_language=default_language)


async def sign_in(units: Units, phone: str, code: str, *, secret: str, rules: LockRules = LockRules(),
                  address: str | None = None) -> Tokens | None:
    """Tokens for the right code; None for a wrong one, whose try is stored all the same."""
    async with units.unit() as unit:
        account = await auth.check_code(unit, phone, code, secret=secret, rules=rules, address=address)
        return await auth.issue(unit, account, secret=secret) if account else None


async def refresh(units: Units, refresh_token: str, *, secret: str, revoke: Revoke) -> Tokens | Revocation:
    """A new pair; a refresh token presented twice ends its whole login instead (the Revocation)."""
    async with units.unit() as unit:
        rotated = await auth.rotate(unit, refresh_token, secret=secret)
        if isinstance(rotated, Revocation):
            await revoke(rotated)
        return rotated


async def log_out(units: Units, refresh_token: str, *, secret: str, revoke: Revoke) -> None:
    async with units.unit() as unit:
        ended = await auth.log_out(unit, refresh_token, secret=secret)
        if ended is not None:
            await revoke(ended)


async def start_enrolment(units: Units, account_id: int, *, secret: str) -> second_factor.Enrolment:
    """A secret, its URI and ten recovery codes for an account with power and no confirmed factor."""
    async with units.unit() as unit:
        account = await _power_account(unit, account_id)
        return await second_factor.enrol(unit, account, key=secret)


async def pending_enrolment(units: Units, account_id: int) -> second_factor.Enrolment | None:
    """The enrolment started and not yet confirmed, to show its secret again; None otherwise."""
    async with units.unit() as unit:
        return await second_factor.pending(unit, await _power_account(unit, account_id))


async def confirm_enrolment(units: Units, claims: dict, code: str, *, secret: str, revoke: Revoke,
                            rules: LockRules = LockRules(), address: str | None = None) -> Tokens | None:
    """The first valid code confirms the enrolment and answers the login with the second factor;
    None for a wrong code (counted for the lockout)."""
    async with units.unit() as unit:
        account = await _power_account(unit, int(claims["sub"]))
        await lockout.check(unit, account.id, rules)
        right = await second_factor.confirm(unit, account.id, code)
        lockout.record(unit, account.id, "totp", right, address)
        return await _second_step_done(unit, account, claims, secret, revoke) if right else None


async def second_step(units: Units, claims: dict, code: str, *, secret: str, revoke: Revoke,
                      rules: LockRules = LockRules(), address: str | None = None) -> Tokens | None:
    """A TOTP or recovery code: a new login whose tokens carry amr sms+totp, the SMS-only one
    ended; None for a wrong code (counted for the lockout). A locked account is refused."""
    async with units.unit() as unit:
        account = await _power_account(unit, int(claims["sub"]))
        kind = second_factor.kind_of(code)
        await lockout.check(unit, account.id, rules)
        right = await second_factor.verify(unit, account.id, code, key=secret)
        lockout.record(unit, account.id, kind, right, address)
        return await _second_step_done(unit, account, claims, secret, revoke) if right else None


async def renew_recovery_codes(units: Units, account_id: int, code: str, *, secret: str,
                               rules: LockRules = LockRules(), address: str | None = None) -> list[str] | None:
    """Ten new recovery codes after a valid TOTP code; None for a wrong one (counted)."""
    async with units.unit() as unit:
        account = await _power_account(unit, account_id)
        if second_factor.kind_of(code) != "totp":
            raise BadInput("give the 6 digits the authenticator app shows")
        await lockout.check(unit, account.id, rules)
        right = await second_factor.verify(unit, account.id, code, key=secret)
        lockout.record(unit, account.id, "totp", right, address)
        return await second_factor.renew_recovery_codes(unit, account.id, key=secret) if right else None


async def reset_second_factor(units: Units, account_id: int, *, actor: str, revoke: Revoke) -> None:
    """An admin resets a person's second factor: every login of theirs ends (stored before the
    commit), and they enrol again at their next sign-in."""
    async with units.unit() as unit:
        await second_factor.reset(unit, account_id, actor=actor)
        for ended in await auth.end_logins(unit, account_id):
            await revoke(ended)


async def unlock(units: Units, account_id: int, *, actor: str, rules: LockRules = LockRules()) -> bool:
    """An admin ends an account's lock; whether it was locked."""
    async with units.unit() as unit:
        if await unit.session.get(Account, account_id) is None:
            raise NotFound(f"no account {account_id}")
        return await lockout.unlock(unit, account_id, rules, actor=actor)


async def second_factor_status(units: Units, account_id: int) -> str:
    async with units.unit() as unit:
        return await second_factor.status(unit, account_id)


async def _power_account(unit, account_id: int) -> Account:
    account = await unit.session.get(Account, account_id)
    if account is None:
        raise Unauthorized("this account is gone: sign in again")
    if not second_factor.holds_power(auth.role_labels(account)):
        raise Forbidden("only support and admin accounts use a second factor")
    return account


async def _second_step_done(unit, account: Account, claims: dict, secret: str, revoke: Revoke) -> Tokens:
    """The SMS-only login ends (its refresh tokens and, once stored, its access tokens); a new
    one starts with the second factor."""
    family = claims.get("fam", "")
    if family:
        await auth.revoke_family(unit, family)
        await revoke(login_ended(family))
    return await auth.issue(unit, account, secret=secret, amr=auth.WITH_TOTP)
