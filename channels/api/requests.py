"""Who is calling: a bearer token's claims and the roles they carry."""
from aiohttp import web

from channels.keys import CLAIMS, DATABASE, SETTINGS
from core.auth import read_access
from core.errors import Unauthorized


def caller(request: web.Request) -> dict:
    """The claims of the bearer token, read once per request; 401 without a valid one."""
    if CLAIMS not in request:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthorized("send Authorization: Bearer <access token>")
        request[CLAIMS] = read_access(header[7:], secret=request.app[SETTINGS].jwt_secret, now=request.app[DATABASE].clock())
    return request[CLAIMS]


def has_role(claims: dict, role: str) -> bool:
    return any(r == role or r.startswith(role + ":") for r in claims.get("roles", []))


def restaurants_of(claims: dict) -> set[int]:
    """Restaurants the caller works for (owner or staff)."""
    return {int(r.split(":", 1)[1]) for r in claims.get("roles", []) if r.startswith(("owner:", "staff:"))}
