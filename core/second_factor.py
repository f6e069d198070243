"""The second factor of accounts that hold power (support, admin): TOTP per RFC 6238 (SHA1, 6
digits, 30-second steps) and ten recovery codes.

Enrolment makes a secret of 20 random bytes (base32) and its otpauth URI, with recovery codes
shown once and kept only as HMAC digests (as core.auth keeps SMS codes), each usable once; the
first valid code confirms it. A code of the step before or after now is accepted (one step of
clock drift); a code of a step already used, or of an earlier one, is a replay and refused. An
admin resets a person's factor (audited): they enrol again at their next sign-in.

The secret is written and read here only (`SecondFactor.secret`)."""
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from sqlalchemy import delete, select, update

from core import audit
from core.db import Unit
from core.errors import BadInput, Conflict, NotFound
from core.models import Account, RecoveryCode, SecondFactor

POWER_ROLES = ("support", "admin")
DIGITS = 6
STEP_S = 30
DRIFT_STEPS = 1
SECRET_BYTES = 20
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
RECOVERY_LENGTH = 10  # shown as xxxxx-xxxxx
ISSUER = "Chopbar"

NONE, PENDING, CONFIRMED = "none", "pending", "confirmed"


def holds_power(roles) -> bool:
    """Whether these role labels (a token's, or `role_labels`) need the second factor."""
    return any(r in POWER_ROLES for r in roles)


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, for an authenticator app
    uri: str  # otpauth://totp/...
    recovery_codes: list[str]  # shown once, never stored as they are

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i:i + 4] for i in range(0, len(self.secret), 4))


def _totp(secret_b32: str) -> TOTP:
    return TOTP(base64.b32decode(secret_b32), DIGITS, SHA1(), STEP_S)


def code_at(secret_b32: str, timestamp: float) -> str:
    """The code of this secret at this time (the demo's `./run totp`, and tests, read it too)."""
    return _totp(secret_b32).generate(int(timestamp)).decode()


def uri_of(secret_b32: str, label: str) -> str:
    return f"otpauth://totp/{ISSUER}:{quote(label, safe='')}?secret={secret_b32}&issuer={ISSUER}"


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _normal_recovery(code: str) -> str:
    return code.replace("-", "").replace(" ", "").lower()


def _recovery_hash(key: str, account_id: int, code: str) -> str:
    """HMAC-SHA256 keyed with the service's secret, as core.auth keeps SMS codes."""
    value = f"recovery:{account_id}:{_normal_recovery(code)}"
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


async def factor_of(unit: Unit, account_id: int) -> SecondFactor | None:
    return await unit.session.scalar(select(SecondFactor).where(SecondFactor.account_id == account_id))


async def status(unit: Unit, account_id: int) -> str:
    """none, pending (enrolment started, not confirmed) or confirmed."""
    factor = await factor_of(unit, account_id)
    return NONE if factor is None else CONFIRMED if factor.confirmed_at else PENDING


async def _new_recovery_codes(unit: Unit, account_id: int, key: str) -> list[str]:
    await unit.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        unit.session.add(RecoveryCode(account_id=account_id, code_hash=_recovery_hash(key, account_id, code),
                                      created_at=unit.now()))
    return [f"{c[:5]}-{c[5:]}" for c in codes]


async def enrol(unit: Unit, account: Account, *, key: str, secret_b32: str | None = None) -> Enrolment:
    """A new secret and recovery codes for an account not enrolled yet (an unconfirmed enrolment
    starts again). `secret_b32` is for the demo data's fixed secret only."""
    factor = await factor_of(unit, account.id)
    if factor is not None and factor.confirmed_at is not None:
        raise Conflict("a second factor is already set up: an admin resets it to enrol again")
    secret_b32 = secret_b32 or new_secret()
    if factor is None:
        unit.session.add(SecondFactor(account_id=account.id, secret=secret_b32, created_at=unit.now()))
    else:
        factor.secret, factor.last_step, factor.created_at = secret_b32, 0, unit.now()
    codes = await _new_recovery_codes(unit, account.id, key)
    await unit.session.flush()
    return Enrolment(secret_b32, uri_of(secret_b32, account.phone), codes)


async def enrol_confirmed(unit: Unit, account_id: int, secret_b32: str) -> None:
    """A confirmed factor with this secret and no recovery codes: the demo data's support and
    admin accounts only, whose secret is published for the demo (chopbar.demo_data)."""
    base64.b32decode(secret_b32)  # a bad constant fails here, not at the first sign-in
    unit.session.add(SecondFactor(account_id=account_id, secret=secret_b32, confirmed_at=unit.now(), created_at=unit.now()))


async def pending(unit: Unit, account: Account) -> Enrolment | None:
    """The enrolment started and not confirmed yet (its secret and URI; the recovery codes were
    shown once and are gone), to show again until the first code confirms it."""
    factor = await factor_of(unit, account.id)
    if factor is None or factor.confirmed_at is not None:
        return None
    return Enrolment(factor.secret, uri_of(factor.secret, account.phone), [])


def kind_of(code: str) -> str:
    """totp for 6 digits, recovery for a recovery code; BadInput for anything else."""
    if code.isascii() and code.isdigit() and len(code) == DIGITS:
        return "totp"
    plain = _normal_recovery(code)
    if len(plain) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in plain):
        return "recovery"
    raise BadInput("the code is the 6 digits of the authenticator app, or a recovery code (xxxxx-xxxxx)")


def _step_of(factor: SecondFactor, code: str, now_s: float) -> int | None:
    """The step this code belongs to, within one step of now, if it is newer than the last used."""
    totp = _totp(factor.secret)
    here = int(now_s) // STEP_S
    for step in range(here - DRIFT_STEPS, here + DRIFT_STEPS + 1):
        if step > factor.last_step and hmac.compare_digest(totp.generate(step * STEP_S).decode(), code):
            return step
    return None


async def verify(unit: Unit, account_id: int, code: str, *, key: str) -> bool:
    """Whether the code (TOTP or recovery, see `kind_of`) is right for a confirmed factor; a
    recovery code is spent, a TOTP's step becomes the last used. 403 when there is no factor."""
    factor = await factor_of(unit, account_id)
    if factor is None or factor.confirmed_at is None:
        raise SecondFactorMissing()
    if kind_of(code) == "totp":
        step = _step_of(factor, code, unit.now().timestamp())
        if step is None:
            return False
        factor.last_step = step
        return True
    spent = await unit.session.execute(
        update(RecoveryCode).where(RecoveryCode.account_id == account_id, RecoveryCode.used_at.is_(None),
                                   RecoveryCode.code_hash == _recovery_hash(key, account_id, code)).values(used_at=unit.now())
    )
    return spent.rowcount == 1


async def confirm(unit: Unit, account_id: int, code: str) -> bool:
    """The first valid TOTP code confirms an enrolment; False for a wrong one."""
    factor = await factor_of(unit, account_id)
    if factor is None:
        raise Conflict("start the enrolment first: POST /api/v1/auth/second-factor/enrolment")
    if factor.confirmed_at is not None:
        raise Conflict("the second factor is already confirmed")
    if kind_of(code) != "totp":
        raise BadInput("confirm with the 6 digits the authenticator app shows")
    step = _step_of(factor, code, unit.now().timestamp())
    if step is None:
        return False
    factor.last_step, factor.confirmed_at = step, unit.now()
    audit.record(unit, "account", str(account_id), "second_factor_enrolled", actor=f"account:{account_id}")
    return True


async def renew_recovery_codes(unit: Unit, account_id: int, *, key: str) -> list[str]:
    """Ten new recovery codes; the old ones stop working. The caller checked a valid code first."""
    codes = await _new_recovery_codes(unit, account_id, key)
    audit.record(unit, "account", str(account_id), "recovery_codes_renewed", actor=f"account:{account_id}")
    return codes


async def reset(unit: Unit, account_id: int, *, actor: str) -> None:
    """An admin removes a person's factor and recovery codes (audited); they enrol again."""
    if await unit.session.get(Account, account_id) is None:
        raise NotFound(f"no account {account_id}")
    had = await factor_of(unit, account_id)
    await unit.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
    await unit.session.execute(delete(SecondFactor).where(SecondFactor.account_id == account_id))
    audit.record(unit, "account", str(account_id), "second_factor_reset", actor=actor,
                 data={"had": NONE if had is None else CONFIRMED if had.confirmed_at else PENDING})


class SecondFactorMissing(Conflict):
    """A code checked for an account with no confirmed factor: it enrols first."""

    def __init__(self) -> None:
        super().__init__("no second factor is set up yet: enrol first (POST /api/v1/auth/second-factor/enrolment)")
