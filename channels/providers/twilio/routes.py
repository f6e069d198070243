"""Twilio SMS and WhatsApp: `X-Twilio-Signature` checked by Twilio's own validator, TwiML replies.

Twilio signs the URL and the form's parameters, so the form is read defensively first (size,
field count, strict UTF-8), then the signature is checked, then the schema
(`channels.providers.twilio.payloads`). A signed form we cannot use (no sender number, say) is answered
with an empty TwiML and recorded in the audit log; a bad MessageSid or text is a 400.
SMS goes through the keyword conversation; WhatsApp through Twilio gets the USSD dialog as
numbered text. Each inbound message is handled once per MessageSid; the reply rides back in
the TwiML and is recorded in the outbox as sent.
"""
from aiohttp import web
from multidict import MultiDict
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels.forms import fields_for, read_form
from channels.gateway_url import public_url
from channels.keys import CHATS, DATABASE, SETTINGS, SMS
from channels.payloads import ignored
from channels.payloads.fields import Unfit, fit
from channels.providers.twilio.payloads import TwilioMessage, TwilioStatus
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput, BadSignature
from core.phones import to_e164

DELIVERED = {"delivered": True, "read": True, "undelivered": False, "failed": False}


async def signed_form(request: web.Request) -> MultiDict[str]:
    form = await read_form(request)
    validator = RequestValidator(request.app[SETTINGS].twilio.auth_token.get_secret_value())
    signature = request.headers.get("X-Twilio-Signature", "")
    try:
        valid = validator.validate(public_url(request), form, signature)
    except (ValueError, UnicodeError):  # a forwarded host with no valid port, say: nothing to check against
        valid = False
    if not valid:
        raise BadSignature("X-Twilio-Signature does not match")
    return form


def twiml(message: str | None) -> web.Response:
    response = MessagingResponse()
    if message:
        response.message(message)
    return web.Response(text=str(response), content_type="application/xml")


async def _message(request: web.Request) -> tuple[TwilioMessage, str] | None:
    """The signed message and its sender's number, or None once recorded as ignored."""
    form = await signed_form(request)
    try:
        message = fit(TwilioMessage, fields_for(TwilioMessage, form))
    except Unfit as exc:  # a bad MessageSid or text is not Unfit: it stays a 400
        reason = str(exc)
    else:
        try:
            return message, to_e164(message.sender)
        except BadInput:  # an alphanumeric sender, say
            reason = "From is not a phone number"
    await ignored.ignore(request.app[DATABASE], "twilio", reason, message=form.get("MessageSid"), path=request.path)
    return None


async def sms(request: web.Request) -> web.Response:
    received = await _message(request)
    if received is None:
        return twiml(None)
    message, phone = received
    reply = await request.app[SMS].handle("twilio", message.sid, phone, message.body, inline=True)
    return twiml(reply.text if reply else None)


async def whatsapp(request: web.Request) -> web.Response:
    received = await _message(request)
    if received is None:
        return twiml(None)
    message, phone = received
    key = message.button or message.body
    reply = await request.app[CHATS].handle("twilio", message.sid, "whatsapp-text", phone, key, inline=True)
    return twiml(reply.text if reply else None)


async def status(request: web.Request) -> web.Response:
    form = await signed_form(request)
    try:
        report = fit(TwilioStatus, fields_for(TwilioStatus, form))
    except Unfit as exc:
        await ignored.ignore(request.app[DATABASE], "twilio", str(exc), message=form.get("MessageSid"), path=request.path)
        return web.Response(text="")
    delivered = DELIVERED.get(report.status)
    if delivered is not None:
        await delivery_report(request.app[DATABASE], "twilio", report.sid, delivered, report.error_code)
    return web.Response(text="")


def setup(app: web.Application) -> None:
    app.router.add_post("/twilio/sms", sms)
    app.router.add_post("/twilio/whatsapp", whatsapp)
    app.router.add_post("/twilio/status", status)
