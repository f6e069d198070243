"""The simulators' window on the service: demo people and the messages queued or sent to a number.

Mounted under /sim/ only while the simulators stand in for the real gateways. A message whose
code was masked once it left shows the words the simulated gateway delivered, so the phone still
reads its code here.
"""
from aiohttp import web
from sqlalchemy import select

from channels.keys import DATABASE, SIM_SMS, SIM_TWILIO, SIM_WHATSAPP
from core import outbox
from core.errors import BadInput
from core.formatting import gsm7_safe
from core.models import Account, Address, Driver, Restaurant, Role
from core.phones import to_e164

STAFF_ROLES = ("support", "admin")
SIMULATORS = {"africastalking": SIM_SMS, "twilio": SIM_TWILIO, "meta": SIM_WHATSAPP}  # by the senders' provider name


def phone_param(request: web.Request, name: str) -> str:
    """A number from the query; a '+' that arrived decoded as a space is accepted too."""
    raw = request.query.get(name, "").strip()
    if not raw:
        raise BadInput(f"give ?{name}=<E.164 number>")
    return to_e164(raw if raw.startswith("+") or raw.startswith("0") else "+" + raw)


async def actors(request: web.Request) -> web.Response:
    people = []
    async with request.app[DATABASE].unit() as unit:
        for r in await unit.session.scalars(select(Restaurant).order_by(Restaurant.city, Restaurant.name)):
            for phone in filter(None, (r.phone, r.backup_phone)):
                people.append({"role": "restaurant", "name": r.name, "phone": phone, "city": r.city, "restaurant": r.name})
        for d in await unit.session.scalars(select(Driver).order_by(Driver.city)):
            people.append({"role": "driver", "name": d.account.name, "phone": d.account.phone, "city": d.city, "restaurant": None})
        staff = await unit.session.execute(
            select(Account, Role.role).join(Role).where(Role.role.in_(STAFF_ROLES)).order_by(Account.id)
        )
        for account, role in staff:
            people.append({"role": role, "name": account.name, "phone": account.phone, "city": None, "restaurant": None})
        customers = await unit.session.scalars(
            select(Account).join(Role).where(Role.role == "customer", Account.name.is_not(None)).order_by(Account.id)
        )
        for account in customers:
            city = await unit.session.scalar(
                select(Address.city).where(Address.account_id == account.id).order_by(Address.last_used_at.desc()).limit(1)
            )
            people.append({"role": "customer", "name": account.name, "phone": account.phone, "city": city, "restaurant": None})
    return web.json_response(people)


def received_text(app: web.Application, message) -> str:
    """The body, or what the simulated gateway delivered when the body has changed since (masked)."""
    key = SIMULATORS.get(message.provider or "")
    if key is None or not message.provider_message_id or key not in app:
        return message.body
    delivered = app[key].delivered(message.provider_message_id)
    as_sent = gsm7_safe(message.body) if message.channel == "sms" else message.body
    return message.body if delivered is None or delivered == as_sent else delivered


async def messages(request: web.Request) -> web.Response:
    phone = phone_param(request, "to")
    async with request.app[DATABASE].unit() as unit:
        rows = await outbox.messages_to(unit, phone)
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
