"""POST /api/v1/auth/otp, /token, /refresh, /logout: passwordless sign-in by SMS code. Support
and admin accounts then give their second factor (channels.api.second_factor); repeated wrong
codes lock an account (429 account_locked, core.lockout).

Ending a login (logout, or a refresh token presented twice) also refuses the access tokens it
issued: the revocation is stored before the database commits, so a store that cannot take it
(503) leaves the login as it was for the app to try again, and never a login ended on paper whose
access tokens still pass."""
from typing import Annotated

from pydantic import Field, StringConstraints

from channels.api.endpoints import Call, endpoint
from channels.api.limits import AUTH, check
from channels.api.schemas import Phone, Shape
from channels.keys import DATABASE, RATES, REVOCATIONS, SETTINGS
from core import auth
from core.use_cases import signing_in
from core.revocation import Revocation
from core.errors import Unauthorized
from core.phones import to_e164

Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class OtpIn(Shape):
    phone: Phone = Field(description="the phone number, E.164 or as typed in Cameroon (6xx xx xx xx)")


class OtpOut(Shape):
    sent: bool
    expires_in: int = Field(description="seconds the code stays valid")


class TokenIn(Shape):
    phone: Phone
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class RefreshIn(Shape):
    refresh_token: Token


class TokensOut(Shape):
    access_token: str
    refresh_token: str
    expires_in: int = Field(description="seconds the access token stays valid")
    token_type: str


@endpoint("POST", "/api/v1/auth/otp", tag="accounts", body=OtpIn, response=OtpOut, status=202, auth=False,
          summary="Send a sign-in code by SMS", roles="anyone; 5 codes per number in 15 minutes")
async def otp(call: Call) -> OtpOut:
    settings = call.app[SETTINGS]
    phone = to_e164(call.body.phone)
    # Per number, not per address: carriers put many phones behind one address.
    await check(call.app[RATES], f"auth:{phone}", AUTH)
    await signing_in.send_code(call.app[DATABASE], phone, secret=settings.jwt_secret.get_secret_value(),
                               default_language=settings.default_language)
    return OtpOut(sent=True, expires_in=int(auth.OTP_TTL.total_seconds()))


@endpoint("POST", "/api/v1/auth/token", tag="accounts", body=TokenIn, response=TokensOut, auth=False,
          summary="Trade the SMS code for an access and a refresh token", roles="anyone with the code")
async def token(call: Call) -> dict:
    settings = call.app[SETTINGS]
    tokens = await signing_in.sign_in(call.app[DATABASE], to_e164(call.body.phone), call.body.code,
                                      secret=settings.jwt_secret.get_secret_value(), rules=settings.lock_rules(),
                                      address=call.request.remote)
    if tokens is None:  # the wrong try is stored before the refusal
        raise Unauthorized("wrong code")
    return tokens.as_json()


@endpoint("POST", "/api/v1/auth/refresh", tag="accounts", body=RefreshIn, response=TokensOut, auth=False,
          summary="A new token pair for a refresh token (each is used once)", roles="the token's holder")
async def refresh(call: Call) -> dict:
    rotated = await signing_in.refresh(call.app[DATABASE], call.body.refresh_token, secret=call.app[SETTINGS].jwt_secret.get_secret_value(),
                                       revoke=call.app[REVOCATIONS].revoke)
    if isinstance(rotated, Revocation):  # the family's revocation is committed before the refusal
        raise Unauthorized("refresh token already used: every session of this login is closed")
    return rotated.as_json()


@endpoint("POST", "/api/v1/auth/logout", tag="accounts", body=RefreshIn, status=204, auth=False,
          summary="End this login: its refresh and access tokens stop working", roles="the token's holder")
async def logout(call: Call) -> None:
    await signing_in.log_out(call.app[DATABASE], call.body.refresh_token, secret=call.app[SETTINGS].jwt_secret.get_secret_value(),
                             revoke=call.app[REVOCATIONS].revoke)
