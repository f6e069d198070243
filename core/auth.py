"""Passwordless accounts for the apps: a code by SMS, then a short JWT and a rotating refresh token.

Codes and refresh tokens are kept only as HMAC-SHA256 digests keyed with the service's secret.
A code lives 5 minutes and allows 5 tries. A refresh token is used once: using it gives a new
pair in the same family; presenting a used one again means it was copied, and the whole
family is revoked. An access token carries its family (`fam`), so logging out or a revoked
family also refuses the access tokens already issued (`core.revocation`).

An access token also says how its login was proved (`amr`: ["sms"], or ["sms", "totp"] after
the second factor, core.second_factor), kept by every refresh of the family. A support or admin
token without "totp" says what is missing (`second_factor`: "required" or "enrolment_required").
Every code tried counts for the account's lockout (core.lockout).
"""
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import select, update

from core import audit, lockout, outbox, second_factor
from core.accounts import account_for, find_account, role_labels
from core.db import Unit
from core.errors import BadInput, Unauthorized
from core.i18n import N_, translate
from core.models import Account, OtpCode, RefreshToken
from core.revocation import ACCESS_TTL, Revocation, login_ended
from core.sealing import blind

OTP_TTL = timedelta(minutes=5)
OTP_TRIES = 5
REFRESH_TTL = timedelta(days=7)
ALGORITHM = "HS256"
OTP_TEXT = N_("Your Chopbar code is {code}. It is valid for 5 minutes. Never share it.")


def digest(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


async def send_code(unit: Unit, phone: str, *, secret: str, default_language: str) -> None:
    """A fresh 6-digit code by SMS; earlier unused codes of this number stop working."""
    account = await account_for(unit, phone, default_language=default_language)
    # One request for a number at a time (PostgreSQL; SQLite has one writer anyway): each voids
    # the code before it, so of several asked at once exactly the last stays live.
    await unit.session.execute(select(Account.id).where(Account.id == account.id).with_for_update())
    now = unit.now()
    await unit.session.execute(
        update(OtpCode).where(OtpCode.phone_key == blind(phone), OtpCode.used_at.is_(None)).values(used_at=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    unit.session.add(OtpCode(phone=phone, code_hash=digest(secret, f"{phone}:{code}"), expires_at=now + OTP_TTL, created_at=now))
    # The code is masked in the stored body once the message is sent: no code outlives its delivery.
    await outbox.enqueue(unit, phone, translate(OTP_TEXT, account.language, code=code), kind="auth.otp", secret=code)


async def check_code(unit: Unit, phone: str, code: str, *, secret: str, rules: lockout.LockRules = lockout.LockRules(),
                     address: str | None = None) -> Account | None:
    """The account of `phone` if `code` is its live code. A wrong code returns None and counts
    as a try, of the code and of the account's lockout: the caller commits that, then refuses.
    A locked account is refused (AccountLocked) whatever the code."""
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        raise BadInput("the code is 6 digits")
    known = await find_account(unit, phone)
    if known is None:
        raise Unauthorized("no valid code for this number: ask for a new one")
    await lockout.check(unit, known.id, rules)
    now = unit.now()
    otp = await unit.session.scalar(
        select(OtpCode).where(OtpCode.phone_key == blind(phone), OtpCode.used_at.is_(None), OtpCode.expires_at > now)
        .order_by(OtpCode.id.desc()).limit(1)
    )
    if otp is None or otp.attempts >= OTP_TRIES:
        raise Unauthorized("no valid code for this number: ask for a new one")
    if not hmac.compare_digest(otp.code_hash, digest(secret, f"{phone}:{code}")):
        otp.attempts += 1
        lockout.record(unit, known.id, "sms", False, address)
        return None
    otp.used_at = now
    lockout.record(unit, known.id, "sms", True, address)
    return known


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int

    def as_json(self) -> dict:
        return {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": self.expires_in,
                "token_type": "Bearer"}


SMS_ONLY = ("sms",)
WITH_TOTP = ("sms", "totp")


async def issue(unit: Unit, account: Account, *, secret: str, family: str | None = None,
                amr: tuple[str, ...] = SMS_ONLY) -> Tokens:
    now = unit.now()
    family = family or uuid.uuid4().hex
    roles = role_labels(account)
    claims = {
        "sub": str(account.id), "phone": account.phone, "iat": int(now.timestamp()),
        "exp": int((now + ACCESS_TTL).timestamp()), "jti": uuid.uuid4().hex, "fam": family,
        "roles": roles, "amr": list(amr),
    }
    if second_factor.holds_power(roles) and "totp" not in amr:
        enrolled = await second_factor.status(unit, account.id) == second_factor.CONFIRMED
        claims["second_factor"] = "required" if enrolled else "enrolment_required"
    refresh = secrets.token_urlsafe(32)
    unit.session.add(RefreshToken(account_id=account.id, family=family, token_hash=digest(secret, refresh),
                                  expires_at=now + REFRESH_TTL, created_at=now, amr=" ".join(amr)))
    return Tokens(jwt.encode(claims, secret, algorithm=ALGORITHM), refresh, int(ACCESS_TTL.total_seconds()))


async def rotate(unit: Unit, refresh_token: str, *, secret: str) -> Tokens | Revocation:
    """A new pair for a live refresh token. A reused one revokes its whole family and returns the
    revocation of the family's access tokens: the caller stores it, commits, then refuses."""
    now = unit.now()
    stored = await unit.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(secret, refresh_token)))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise Unauthorized("refresh token not valid: sign in again")
    if stored.used_at is not None:
        await revoke_family(unit, stored.family)
        audit.record(unit, "account", str(stored.account_id), "refresh_reused", actor="system", reason="token family revoked")
        return login_ended(stored.family)
    stored.used_at = now
    account = await unit.session.get(Account, stored.account_id)
    return await issue(unit, account, secret=secret, family=stored.family, amr=tuple(stored.amr.split()))


async def revoke_family(unit: Unit, family: str) -> None:
    await unit.session.execute(
        update(RefreshToken).where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None)).values(revoked_at=unit.now())
    )


async def log_out(unit: Unit, refresh_token: str, *, secret: str) -> Revocation | None:
    """Ends the login of this refresh token: its family, and the access tokens issued in it (the
    revocation returned, for the caller to store). None for a token we do not know."""
    stored = await unit.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest(secret, refresh_token)))
    if stored is None:
        return None
    await revoke_family(unit, stored.family)
    return login_ended(stored.family)


async def live_families(unit: Unit, account_id: int) -> list[str]:
    """The families of the account's logins still open."""
    found = await unit.session.scalars(
        select(RefreshToken.family).where(RefreshToken.account_id == account_id, RefreshToken.revoked_at.is_(None),
                                          RefreshToken.expires_at > unit.now()).distinct()
    )
    return sorted(found)


async def end_logins(unit: Unit, account_id: int) -> list[Revocation]:
    """Ends every open login of the account (its refresh families), returning the revocations of
    their access tokens for the caller to store."""
    families = await live_families(unit, account_id)
    for family in families:
        await revoke_family(unit, family)
    return [login_ended(family) for family in families]


def read_access(token: str, *, secret: str, now: datetime) -> dict:
    """The claims of a valid access token, unexpired by the service's clock."""
    try:
        # Times are checked against our clock, not the machine's: the service keeps one notion of now.
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"], "verify_exp": False, "verify_iat": False}
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"access token not valid: {exc}") from None
    if claims["exp"] <= now.timestamp():
        raise Unauthorized("access token expired: refresh it")
    return claims
