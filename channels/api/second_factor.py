"""The second factor on the API (core.second_factor): a support or admin account signed in by SMS
code enrols (secret, otpauth URI, recovery codes), confirms with a first code, and at each
sign-in trades a TOTP or recovery code for tokens with amr ["sms", "totp"]. Admins reset a
person's factor and unlock a locked account. Wrong codes count for the lockout (429 account_locked)."""
from typing import Annotated

from pydantic import Field, StringConstraints

from channels.api.admin import TAG as ADMIN_TAG
from channels.api.admin import actor, allow
from channels.api.auth import TokensOut
from channels.api.endpoints import Call, endpoint
from channels.api.schemas import Shape
from channels.keys import DATABASE, REVOCATIONS, SETTINGS
from core.errors import Unauthorized
from core.use_cases import signing_in

FOR_POWER = "support and admin accounts signed in by SMS code"
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class FactorCodeIn(Shape):
    code: Code = Field(description="the 6 digits of the authenticator app, or a recovery code (xxxxx-xxxxx)")


class EnrolmentOut(Shape):
    secret: str = Field(description="base32, to type into an authenticator app")
    uri: str = Field(description="otpauth://totp/Chopbar:<phone>?secret=...&issuer=Chopbar, for a QR code")
    recovery_codes: list[str] = Field(description="ten codes, each usable once instead of the app; shown only now")


class RecoveryCodesOut(Shape):
    recovery_codes: list[str] = Field(description="ten new codes; the earlier ones stop working")


class UnlockOut(Shape):
    was_locked: bool


def _key(call: Call) -> str:
    return call.app[SETTINGS].jwt_secret.get_secret_value()


@endpoint("POST", "/api/v1/auth/second-factor/enrolment", tag="accounts", response=EnrolmentOut, status=201,
          enrolling=True, roles=FOR_POWER + ", not yet enrolled",
          summary="Start the second factor: a TOTP secret, its otpauth URI and ten recovery codes")
async def enrol(call: Call) -> EnrolmentOut:
    started = await signing_in.start_enrolment(call.app[DATABASE], call.account_id, secret=_key(call))
    return EnrolmentOut(secret=started.secret, uri=started.uri, recovery_codes=started.recovery_codes)


@endpoint("POST", "/api/v1/auth/second-factor/enrolment/confirm", tag="accounts", body=FactorCodeIn, response=TokensOut,
          enrolling=True, roles=FOR_POWER + " who started the enrolment",
          summary="Confirm the second factor with a first code: answers tokens with amr sms+totp")
async def confirm(call: Call) -> dict:
    tokens = await signing_in.confirm_enrolment(
        call.app[DATABASE], call.claims, call.body.code, secret=_key(call), revoke=call.app[REVOCATIONS].revoke,
        rules=call.app[SETTINGS].lock_rules(), address=call.request.remote)
    if tokens is None:  # the wrong try is stored before the refusal
        raise Unauthorized("wrong code: check the authenticator app's clock and type the code it shows now")
    return tokens.as_json()


@endpoint("POST", "/api/v1/auth/second-factor", tag="accounts", body=FactorCodeIn, response=TokensOut, enrolling=True,
          roles=FOR_POWER, summary="Give the second factor: a new token pair with amr sms+totp, the SMS-only one ended")
async def second_step(call: Call) -> dict:
    tokens = await signing_in.second_step(
        call.app[DATABASE], call.claims, call.body.code, secret=_key(call), revoke=call.app[REVOCATIONS].revoke,
        rules=call.app[SETTINGS].lock_rules(), address=call.request.remote)
    if tokens is None:
        raise Unauthorized("wrong code, or one already used")
    return tokens.as_json()


@endpoint("POST", "/api/v1/auth/second-factor/recovery-codes", tag="accounts", body=FactorCodeIn, response=RecoveryCodesOut,
          status=201, roles="support and admin accounts with the second factor",
          summary="Ten new recovery codes, after a valid code of the authenticator app")
async def recovery_codes(call: Call) -> RecoveryCodesOut:
    allow(call, "support", "admin")
    codes = await signing_in.renew_recovery_codes(call.app[DATABASE], call.account_id, call.body.code, secret=_key(call),
                                                  rules=call.app[SETTINGS].lock_rules(), address=call.request.remote)
    if codes is None:
        raise Unauthorized("wrong code, or one already used")
    return RecoveryCodesOut(recovery_codes=codes)


@endpoint("DELETE", "/api/v1/admin/accounts/{account_id}/second-factor", tag=ADMIN_TAG, status=204, roles="admin",
          summary="Reset a person's second factor: their logins end and they enrol again")
async def reset(call: Call) -> None:
    allow(call, "admin")
    await signing_in.reset_second_factor(call.app[DATABASE], call.path["account_id"], actor=actor(call),
                                         revoke=call.app[REVOCATIONS].revoke)


@endpoint("POST", "/api/v1/admin/accounts/{account_id}/unlock", tag=ADMIN_TAG, response=UnlockOut, roles="admin",
          summary="End an account's lock after wrong codes: its codes work again at once")
async def unlock(call: Call) -> UnlockOut:
    allow(call, "admin")
    was = await signing_in.unlock(call.app[DATABASE], call.path["account_id"], actor=actor(call),
                                  rules=call.app[SETTINGS].lock_rules())
    return UnlockOut(was_locked=was)
