"""POST /api/v1/auth/otp, /token, /refresh, /logout: passwordless sign-in by SMS code."""
from aiohttp import web

from channels.api.limits import AUTH, check
from channels.api.requests import json_body
from channels.keys import DATABASE, RATES, SETTINGS
from core import auth
from core.errors import Unauthorized
from core.phones import to_e164


async def otp(request: web.Request) -> web.Response:
    body = await json_body(request, "phone")
    settings = request.app[SETTINGS]
    phone = to_e164(body["phone"])
    # Per number, not per address: carriers put many phones behind one address.
    await check(request.app[RATES], f"auth:{phone}", AUTH)
    async with request.app[DATABASE].unit() as unit:
        await auth.send_code(unit, phone, secret=settings.jwt_secret, default_language=settings.default_language)
    return web.json_response({"sent": True, "expires_in": int(auth.OTP_TTL.total_seconds())}, status=202)


async def token(request: web.Request) -> web.Response:
    body = await json_body(request, "phone", "code")
    secret = request.app[SETTINGS].jwt_secret
    async with request.app[DATABASE].unit() as unit:
        account = await auth.check_code(unit, to_e164(body["phone"]), body["code"].strip(), secret=secret)
        tokens = await auth.issue(unit, account, secret=secret) if account else None
    if tokens is None:  # the wrong try is stored before the refusal
        raise Unauthorized("wrong code")
    return web.json_response(tokens.as_json())


async def refresh(request: web.Request) -> web.Response:
    body = await json_body(request, "refresh_token")
    async with request.app[DATABASE].unit() as unit:
        tokens = await auth.rotate(unit, body["refresh_token"], secret=request.app[SETTINGS].jwt_secret)
    if tokens is None:  # the family's revocation is stored before the refusal
        raise Unauthorized("refresh token already used: every session of this login is closed")
    return web.json_response(tokens.as_json())


async def logout(request: web.Request) -> web.Response:
    body = await json_body(request, "refresh_token")
    async with request.app[DATABASE].unit() as unit:
        await auth.log_out(unit, body["refresh_token"], secret=request.app[SETTINGS].jwt_secret)
    return web.Response(status=204)


def setup(app: web.Application) -> None:
    app.router.add_post("/api/v1/auth/otp", otp)
    app.router.add_post("/api/v1/auth/token", token)
    app.router.add_post("/api/v1/auth/refresh", refresh)
    app.router.add_post("/api/v1/auth/logout", logout)
