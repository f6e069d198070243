"""Signing in on the app, passwordless: a code by SMS, traded for tokens; a refresh token used
once; a login ended. Ending one revokes its access tokens through `revoke` before the database
commits, so a store that cannot take it (503) leaves the login as it was."""
from collections.abc import Awaitable, Callable

from core import auth
from core.auth import Tokens
from core.db import Units
from core.revocation import Revocation

Revoke = Callable[[Revocation], Awaitable[None]]


async def send_code(units: Units, phone: str, *, secret: str, default_language: str) -> None:
    async with units.unit() as unit:
        await auth.send_code(unit, phone, secret=secret, default_language=default_language)


async def sign_in(units: Units, phone: str, code: str, *, secret: str) -> Tokens | None:
    """Tokens for the right code; None for a wrong one, whose try is stored all the same."""
    async with units.unit() as unit:
        account = await auth.check_code(unit, phone, code, secret=secret)
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
