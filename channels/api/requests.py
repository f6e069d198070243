"""Reading a JSON request and who is calling: a body with its fields, a bearer token's claims."""
import json
from typing import Any

from aiohttp import web

from channels.keys import DATABASE, SETTINGS
from core.auth import read_access
from core.errors import BadInput, Unauthorized


async def json_body(request: web.Request, *required: str) -> dict[str, Any]:
    try:
        body = json.loads(await request.read() or b"{}")
    except ValueError:
        raise BadInput("the body is not JSON") from None
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object")
    missing = [name for name in required if not isinstance(body.get(name), str) or not body[name].strip()]
    if missing:
        raise BadInput(f"missing or empty: {', '.join(missing)}")
    return body


def caller(request: web.Request) -> dict:
    """The claims of the bearer token; 401 without a valid one."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthorized("send Authorization: Bearer <access token>")
    return read_access(header[7:], secret=request.app[SETTINGS].jwt_secret, now=request.app[DATABASE].clock())


def has_role(claims: dict, role: str) -> bool:
    return any(r == role or r.startswith(role + ":") for r in claims.get("roles", []))


def restaurants_of(claims: dict) -> set[int]:
    """Restaurants the caller works for (owner or staff)."""
    return {int(r.split(":", 1)[1]) for r in claims.get("roles", []) if r.startswith(("owner:", "staff:"))}
