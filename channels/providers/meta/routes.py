"""Meta WhatsApp Cloud API webhook: the verify handshake, `X-Hub-Signature-256`, messages, statuses.

The signature is an HMAC-SHA256 of the raw body with the app secret, checked before the body
is parsed; then the body is read by its schema (`channels.providers.meta.payloads`) with pydantic's JSON
parser, which refuses deep nesting. Signed but of a shape we do not know: acknowledged (200)
and recorded in the audit log, or Meta would retry it for days; not JSON, or a message id or
text no gateway sends: 400. Each message id is handled once; text, list and button replies are
the dialog's next key; the answer (a list, buttons or text) goes out through the outbox.
"""
import hashlib
import hmac

from aiohttp import web

from channels.keys import CHATS, DATABASE, SETTINGS
from channels.payloads import ignored
from channels.payloads.fields import Unfit, fit
from channels.providers.meta.payloads import Envelope, Message
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput, BadSignature
from core.phones import to_e164

DELIVERED = {"delivered": True, "read": True, "failed": False}


def _bytes(value: str) -> bytes:
    """Any header or query value as bytes: compare_digest refuses str that is not ASCII."""
    return value.encode("utf-8", "surrogatepass")


async def verify(request: web.Request) -> web.Response:
    q = request.query
    expected = _bytes(request.app[SETTINGS].meta.verify_token.get_secret_value())
    if q.get("hub.mode") == "subscribe" and hmac.compare_digest(_bytes(q.get("hub.verify_token", "")), expected):
        return web.Response(text=q.get("hub.challenge", ""))
    raise web.HTTPForbidden(text="verify token does not match")


def check_signature(body: bytes, header: str, secret: str) -> None:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), _bytes(header or "")):
        raise BadSignature("X-Hub-Signature-256 does not match")


async def receive(request: web.Request) -> web.Response:
    body = await request.read()
    secret = request.app[SETTINGS].meta.app_secret.get_secret_value()
    check_signature(body, request.headers.get("X-Hub-Signature-256", ""), secret)
    try:
        envelope = fit(Envelope, body, from_json=True)
    except Unfit as exc:
        await ignored.ignore(request.app[DATABASE], "meta", str(exc))
        return web.Response(text="OK")
    for value in envelope.values():
        for status in value.statuses:
            delivered = DELIVERED.get(status.status)
            if delivered is not None:
                reason = status.errors[0].title if status.errors else None
                await delivery_report(request.app[DATABASE], "meta", status.id, delivered, reason)
        for message in value.messages:
            await _message(request, message)
    return web.Response(text="OK")


async def _message(request: web.Request, message: Message) -> None:
    try:
        phone = to_e164("+" + message.sender.lstrip("+"))
    except BadInput:
        await ignored.ignore(request.app[DATABASE], "meta", "from is not a phone number", message=message.id)
        return
    key = message.key()
    if key is None:  # a photo, a voice note...: the menu again
        key = "00"
    await request.app[CHATS].handle("meta", message.id, "whatsapp", phone, key)


def setup(app: web.Application) -> None:
    app.router.add_get("/whatsapp/meta", verify)
    app.router.add_post("/whatsapp/meta", receive)
