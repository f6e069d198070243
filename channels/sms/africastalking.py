"""Africa's Talking SMS: inbound messages (form), and delivery reports for what we sent.

Both are unsigned (production limits them to the gateway's networks). An inbound message is
handled once per AT `id`; its answer goes out through the outbox, AT having no inline reply.
"""
from aiohttp import web

from channels.forms import required_fields
from channels.gateway_networks import allowed_gateway
from channels.keys import DATABASE, SMS
from channels.senders.outbox_worker import delivery_report
from core.errors import BadInput
from core.phones import to_e164

FINAL = {"Success": True, "Rejected": False, "Failed": False}  # Sent, Submitted, Buffered: not yet
MAX_TEXT = 1600


async def receive(request: web.Request) -> web.Response:
    allowed_gateway(request)
    form = await required_fields(request, "from", "text", "id")
    if len(form["text"]) > MAX_TEXT:
        raise web.HTTPBadRequest(text="text too long")
    try:
        phone = to_e164(form["from"])
    except BadInput:
        raise web.HTTPBadRequest(text="from is not a phone number") from None
    await request.app[SMS].handle("africastalking-sms", form["id"], phone, form["text"])
    return web.Response(text="OK")


async def delivery(request: web.Request) -> web.Response:
    allowed_gateway(request)
    form = await required_fields(request, "id", "status")
    delivered = FINAL.get(form["status"])
    if delivered is not None:
        await delivery_report(request.app[DATABASE], "africastalking", form["id"], delivered, form.get("failureReason"))
    return web.Response(text="OK")


def setup(app: web.Application) -> None:
    app.router.add_post("/sms/africastalking", receive)
    app.router.add_post("/sms/africastalking/delivery", delivery)
