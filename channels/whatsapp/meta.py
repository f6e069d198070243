"""Meta WhatsApp Cloud API webhook: the verify handshake, `X-Hub-Signature-256`, messages, statuses.

The signature is an HMAC-SHA256 of the raw body with the app secret, checked before the body
is parsed. Each message id is handled once; text, list and button replies are the dialog's
next key; the answer (a list, buttons or text) goes out through the outbox.
"""
import hashlib
import hmac
import json

from aiohttp import web

from channels.keys import CHATS, DATABASE, SETTINGS
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput, BadSignature
from core.phones import to_e164

DELIVERED = {"delivered": True, "read": True, "failed": False}


async def verify(request: web.Request) -> web.Response:
    q = request.query
    if q.get("hub.mode") == "subscribe" and hmac.compare_digest(
        q.get("hub.verify_token", ""), request.app[SETTINGS].meta_verify_token
    ):
        return web.Response(text=q.get("hub.challenge", ""))
    raise web.HTTPForbidden(text="verify token does not match")


def check_signature(body: bytes, header: str, secret: str) -> None:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, header or ""):
        raise BadSignature("X-Hub-Signature-256 does not match")


def key_of(message: dict) -> str | None:
    """What the person answered: typed text, or the id of the list row or button they tapped."""
    kind = message.get("type")
    if kind == "text":
        return message.get("text", {}).get("body", "")
    if kind == "interactive":
        reply = message.get("interactive", {})
        return (reply.get("list_reply") or reply.get("button_reply") or {}).get("id")
    if kind == "button":
        return message.get("button", {}).get("payload")
    return None


async def receive(request: web.Request) -> web.Response:
    body = await request.read()
    check_signature(body, request.headers.get("X-Hub-Signature-256", ""), request.app[SETTINGS].meta_app_secret)
    try:
        envelope = json.loads(body)
        changes = [c.get("value", {}) for e in envelope.get("entry", []) for c in e.get("changes", [])]
    except (ValueError, AttributeError, TypeError):
        raise web.HTTPBadRequest(text="not a WhatsApp webhook payload") from None
    for value in changes:
        for status in value.get("statuses", []):
            delivered = DELIVERED.get(status.get("status"))
            if delivered is not None:
                reason = (status.get("errors") or [{}])[0].get("title")
                await delivery_report(request.app[DATABASE], "meta", status.get("id", ""), delivered, reason)
        for message in value.get("messages", []):
            await _message(request, message)
    return web.Response(text="OK")


async def _message(request: web.Request, message: dict) -> None:
    try:
        phone = to_e164("+" + str(message.get("from", "")).lstrip("+"))
    except BadInput:
        return
    key = key_of(message)
    if key is None:  # a photo, a voice note...: the menu again
        key = "00"
    await request.app[CHATS].handle("meta", str(message.get("id", "")), "whatsapp", phone, key)


def setup(app: web.Application) -> None:
    app.router.add_get("/whatsapp/meta", verify)
    app.router.add_post("/whatsapp/meta", receive)
