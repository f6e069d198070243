"""What a phone sends to a gateway simulator's inbound path: a JSON object, checked before it is forwarded."""
import json
import re

from aiohttp import web

SENDER = re.compile(r"^\+?\d{6,15}$")
LONGEST = 1600  # characters: a long SMS of ten parts, or a WhatsApp message well past anyone's typing


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": {"code": "bad_input", "message": message}}),
                              content_type="application/json")


async def phone_message(request: web.Request, *texts: str, choices: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The body as a dict with `from` a phone number and each of `texts` (if given) a string;
    each of `choices` (if given) one of its values. Anything else is a 400 naming the field."""
    try:
        body = json.loads(await request.read())
    except (ValueError, RecursionError):
        raise _bad("the body is a JSON object") from None
    if not isinstance(body, dict):
        raise _bad("the body is a JSON object")
    sender = body.get("from")
    if not isinstance(sender, str) or not SENDER.match(sender.strip()):
        raise _bad("from: a phone number like +237699000001")
    for name in texts:
        if name in body and (not isinstance(body[name], str) or len(body[name]) > LONGEST or "\x00" in body[name]):
            raise _bad(f"{name}: a text of at most {LONGEST} characters")
    for name, allowed in (choices or {}).items():
        if name in body and body[name] not in allowed:
            raise _bad(f"{name}: one of {', '.join(allowed)}")
    return body
