"""The simulators' window on the service: demo people and the messages queued or sent to a number.

Mounted under /sim/ only while the simulators stand in for the real gateways. A message whose
code was masked once it left shows the words the simulated gateway delivered, so the phone still
reads its code here.
"""
from dataclasses import asdict

from aiohttp import web

from channels.keys import DATABASE, SIM_SMS, SIM_TWILIO, SIM_WHATSAPP
from core.errors import BadInput
from core.formatting import gsm7_safe
from core.phones import to_e164
from core.use_cases import directory
from core.use_cases.directory import Sent

SIMULATORS = {"africastalking": SIM_SMS, "twilio": SIM_TWILIO, "meta": SIM_WHATSAPP}  # by the senders' provider name


def phone_param(request: web.Request, name: str) -> str:
    """A number from the query; a '+' that arrived decoded as a space is accepted too."""
    raw = request.query.get(name, "").strip()
    if not raw:
        raise BadInput(f"give ?{name}=<E.164 number>")
    return to_e164(raw if raw.startswith("+") or raw.startswith("0") else "+" + raw)


async def actors(request: web.Request) -> web.Response:
    return web.json_response([asdict(p) for p in await directory.people(request.app[DATABASE])])


def received_text(app: web.Application, message: Sent) -> str:
    """The body, or what the simulated gateway delivered when the body has changed since (masked)."""
    key = SIMULATORS.get(message.provider or "")
    if key is None or not message.provider_message_id or key not in app:
        return message.body
    delivered = app[key].delivered(message.provider_message_id)
    as_sent = gsm7_safe(message.body) if message.channel == "sms" else message.body
    return message.body if delivered is None or delivered == as_sent else delivered


async def messages(request: web.Request) -> web.Response:
    phone = phone_param(request, "to")
    rows = await directory.messages_to(request.app[DATABASE], phone)
    return web.json_response(
        [
            {
                "id": m.id, "channel": m.channel, "to": m.to_phone, "text": received_text(request.app, m),
                "status": m.status if m.status != "sending" else "queued", "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/sim/actors", actors)
    app.router.add_get("/sim/messages", messages)
