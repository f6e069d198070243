"""Who is who, for the simulators' window: the people of the demo (restaurants' contacts, drivers,
support and admins, named customers) and every message queued or sent to a number."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import addresses, outbox
from core.db import Units
from core.models import Account, Driver, Restaurant, Role
from state_machines.driver import HAS_DRIVER_MENU

STAFF_ROLES = ("support", "admin")


@dataclass(frozen=True)
class Person:
    role: str  # customer, restaurant (a restaurant's contact), driver, support or admin
    name: str | None
    phone: str
    city: str | None
    restaurant: str | None  # the restaurant a contact answers for


@dataclass(frozen=True)
class Sent:
    id: int
    channel: str
    to_phone: str
    body: str
    status: str
    provider: str | None
    provider_message_id: str | None
    created_at: datetime


async def people(units: Units) -> list[Person]:
    found = []
    async with units.unit() as unit:
        for r in await unit.session.scalars(select(Restaurant).order_by(Restaurant.city, Restaurant.name)):
            for phone in filter(None, (r.phone, r.backup_phone)):
                found.append(Person("restaurant", r.name, phone, r.city, r.name))
        # Applicants and refused ones are not drivers (yet): they are listed as the customers they are.
        drivers = select(Driver).where(Driver.status.in_([s.value for s in HAS_DRIVER_MENU])).order_by(Driver.city)
        for d in await unit.session.scalars(drivers):
            found.append(Person("driver", d.account.name, d.account.phone, d.city, None))
        staff = await unit.session.execute(
            select(Account, Role.role).join(Role).where(Role.role.in_(STAFF_ROLES)).order_by(Account.id)
        )
        for account, role in staff:
            found.append(Person(role, account.name, account.phone, None, None))
        customers = await unit.session.scalars(
            select(Account).join(Role).where(Role.role == "customer", Account.name.is_not(None)).order_by(Account.id)
        )
        for account in customers:
            last = await addresses.latest(unit, account.id)
            found.append(Person("customer", account.name, account.phone, last[0].city if last else None, None))
    return found


async def messages_to(units: Units, phone: str) -> list[Sent]:
    """Everything sent or queued to one number, oldest first."""
    async with units.unit() as unit:
        return [Sent(m.id, m.channel, m.to_phone, m.body, m.status, m.provider, m.provider_message_id, m.created_at)
                for m in await outbox.messages_to(unit, phone)]
