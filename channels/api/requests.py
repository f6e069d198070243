"""Who is calling: a bearer token's claims, checked against the revocation list, and the roles
they carry. A support or admin token without the second factor (amr lacks "totp") has those
roles withheld: a permission that needs one answers 403 second_factor_required, and an account
that has no factor yet may call only the enrolment endpoints (second_factor_enrolment_required)."""
from aiohttp import web

from channels.keys import CLAIMS, DATABASE, REVOCATIONS, SETTINGS
from core import revocation
from core.auth import read_access
from core.errors import Forbidden, SecondFactorEnrolmentRequired, SecondFactorRequired, Unauthorized
from core.second_factor import POWER_ROLES
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


async def caller(request: web.Request, *, enrolling: bool = False) -> dict:
    """The claims of a bearer token that is valid and not revoked (one read of the list, in one
    round trip), power roles withheld without the second factor; 401 otherwise, 503 when the
    list cannot be read. `enrolling`: the endpoint is one of the second factor's own."""
    claims = claims_of(request)
    if not request.get(CHECKED):
        why = revocation.refusal(claims, await request.app[REVOCATIONS].values(*revocation.keys_of(claims)))
        if why:
            raise Unauthorized(f"access token revoked: {why}")
        request[CHECKED] = True
        request[CLAIMS] = claims = effective(claims)
    if claims.get("withheld") and claims.get("second_factor") == "enrolment_required" and not enrolling:
        raise SecondFactorEnrolmentRequired(
            "a support or admin account sets up its second factor first: POST /api/v1/auth/second-factor/enrolment")
    return claims


def effective(claims: dict) -> dict:
    """The claims as they may act: support and admin withheld (kept in `withheld`) when the
    token's login did not give the second factor."""
    held = claims.get("roles", [])
    power = [r for r in held if r in POWER_ROLES]
    if not power or "totp" in claims.get("amr", []):
        return claims
    return {**claims, "roles": [r for r in held if r not in POWER_ROLES], "withheld": power,
            "second_factor": claims.get("second_factor", "required")}


def require_role(claims: dict, *roles: str) -> None:
    """403 unless the caller holds one of these roles; second_factor_required when they hold it
    but signed in without the second factor."""
    if any(has_role(claims, role) for role in roles):
        return
    if any(role in claims.get("withheld", []) for role in roles):
        raise SecondFactorRequired("this needs the second factor: POST /api/v1/auth/second-factor with a code "
                                   "from the authenticator app or a recovery code")
    raise Forbidden(f"only {' or '.join(roles)} may do this")


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
