"""Who is calling: a bearer token's claims, checked against the revocation list, and the roles
they carry."""
from aiohttp import web

from channels.keys import CLAIMS, DATABASE, REVOCATIONS, SETTINGS
from core import revocation
from core.auth import read_access
from core.errors import Forbidden, Unauthorized
from core.restaurant_roles import RESTAURANT_ROLES, may, roles_that_may, strongest

RESTAURANT_PREFIXES = tuple(f"{role}:" for role in RESTAURANT_ROLES)
CHECKED: web.RequestKey[bool] = web.RequestKey("claims_checked", bool)  # the revocation list was read for them


def claims_of(request: web.Request) -> dict:
    """The claims of the bearer token, signature and expiry checked, read once per request; 401
    without a valid one. Not yet checked against revocations: `caller` is who may act."""
    if CLAIMS not in request:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthorized("send Authorization: Bearer <access token>")
        secret = request.app[SETTINGS].jwt_secret.get_secret_value()
        request[CLAIMS] = read_access(header[7:], secret=secret, now=request.app[DATABASE].clock())
    return request[CLAIMS]


async def caller(request: web.Request) -> dict:
    """The claims of a bearer token that is valid and not revoked (one read of the list, in one
    round trip); 401 otherwise, 503 when the list cannot be read."""
    claims = claims_of(request)
    if not request.get(CHECKED):
        why = revocation.refusal(claims, await request.app[REVOCATIONS].values(*revocation.keys_of(claims)))
        if why:
            raise Unauthorized(f"access token revoked: {why}")
        request[CHECKED] = True
    return claims


def has_role(claims: dict, role: str) -> bool:
    return any(r == role or r.startswith(role + ":") for r in claims.get("roles", []))


def restaurants_of(claims: dict) -> set[int]:
    """Restaurants the caller works for (owner, manager or staff)."""
    return {int(r.split(":", 1)[1]) for r in claims.get("roles", []) if r.startswith(RESTAURANT_PREFIXES)}


def role_at(claims: dict, restaurant_id: int) -> str | None:
    """The caller's strongest role at this restaurant, None when they work elsewhere."""
    held = claims.get("roles", [])
    return strongest(role for role in RESTAURANT_ROLES if f"{role}:{restaurant_id}" in held)


def acting_for(claims: dict, restaurant_id: int, action: str) -> int:
    """The restaurant's id when the caller's role there allows the action (core.restaurant_roles);
    403 naming who may otherwise."""
    if not may(role_at(claims, restaurant_id), action):
        raise Forbidden(f"only this restaurant's {' or '.join(roles_that_may(action))} may do this")
    return restaurant_id
