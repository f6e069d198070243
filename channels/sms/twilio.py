"""Twilio SMS and WhatsApp: `X-Twilio-Signature` checked by Twilio's own validator, TwiML replies.

SMS goes through the keyword conversation; WhatsApp through Twilio gets the USSD dialog as
numbered text. Each inbound message is handled once per MessageSid; the reply rides back in
the TwiML and is recorded in the outbox as sent.
"""
from aiohttp import web
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels.gateway_url import public_url
from channels.keys import CHATS, DATABASE, SETTINGS, SMS
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput, BadSignature
from core.phones import to_e164

DELIVERED = {"delivered": True, "read": True, "undelivered": False, "failed": False}


async def signed_form(request: web.Request):
    form = await request.post()
    validator = RequestValidator(request.app[SETTINGS].twilio_auth_token)
    if not validator.validate(public_url(request), form, request.headers.get("X-Twilio-Signature", "")):
        raise BadSignature("X-Twilio-Signature does not match")
    return form


def twiml(message: str | None) -> web.Response:
    response = MessagingResponse()
    if message:
        response.message(message)
    return web.Response(text=str(response), content_type="application/xml")


def _sender(form) -> tuple[str, str]:
    sid, sender = form.get("MessageSid", ""), form.get("From", "")
    if not sid or not sender:
        raise web.HTTPBadRequest(text="MessageSid and From are required")
    try:
        return sid, to_e164(sender)
    except BadInput:
        raise web.HTTPBadRequest(text="From is not a phone number") from None


async def sms(request: web.Request) -> web.Response:
    form = await signed_form(request)
    sid, phone = _sender(form)
    reply = await request.app[SMS].handle("twilio", sid, phone, form.get("Body", ""), inline=True)
    return twiml(reply.text if reply else None)


async def whatsapp(request: web.Request) -> web.Response:
    form = await signed_form(request)
    sid, phone = _sender(form)
    key = form.get("ButtonPayload") or form.get("Body", "")
    reply = await request.app[CHATS].handle("twilio", sid, "whatsapp-text", phone, key, inline=True)
    return twiml(reply.text if reply else None)


async def status(request: web.Request) -> web.Response:
    form = await signed_form(request)
    delivered = DELIVERED.get(form.get("MessageStatus", ""))
    if delivered is not None and form.get("MessageSid"):
        await delivery_report(request.app[DATABASE], "twilio", form["MessageSid"], delivered, form.get("ErrorCode"))
    return web.Response(text="")


def setup(app: web.Application) -> None:
    app.router.add_post("/twilio/sms", sms)
    app.router.add_post("/twilio/whatsapp", whatsapp)
    app.router.add_post("/twilio/status", status)
