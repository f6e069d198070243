"""Africa's Talking SMS: inbound messages (form), and delivery reports for what we sent.

Both are unsigned (production limits them to the gateway's networks), so a form that does not
fit its schema (`channels.providers.africastalking.payloads`) is refused with a 400. An inbound message
is handled once per AT `id`; its answer goes out through the outbox, AT having no inline reply.
"""
from aiohttp import web

from channels.forms import form_payload
from channels.providers.africastalking.networks import allowed_gateway
from channels.keys import DATABASE, SMS
from channels.providers.africastalking.payloads import DeliveryReport, InboundSms
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput
from core.phones import to_e164

FINAL = {"Success": True, "Rejected": False, "Failed": False}  # Sent, Submitted, Buffered: not yet
# Whose ids an inbound message's are: short, so that the reply's dedupe key
# `reply:<provider>:<id>` fits its 120 characters with an id of 100.
PROVIDER = "at-sms"


async def receive(request: web.Request) -> web.Response:
    allowed_gateway(request)
    sms = await form_payload(request, InboundSms)
    try:
        phone = to_e164(sms.sender)
    except BadInput:
        raise BadInput("from is not a phone number") from None
    await request.app[SMS].handle(PROVIDER, sms.id, phone, sms.text)
    return web.Response(text="OK")


async def delivery(request: web.Request) -> web.Response:
    allowed_gateway(request)
    report = await form_payload(request, DeliveryReport)
    delivered = FINAL.get(report.status)
    if delivered is not None:
        await delivery_report(request.app[DATABASE], "africastalking", report.id, delivered, report.failureReason)
    return web.Response(text="OK")


def setup(app: web.Application) -> None:
    app.router.add_post("/sms/africastalking", receive)
    app.router.add_post("/sms/africastalking/delivery", delivery)
