"""Drivers apply and support decides, one function per act: apply (SMS or the app), list by
standing, approve, refuse, suspend, reactivate."""
from dataclasses import dataclass
from datetime import datetime

from core import drivers
from core.db import Units
from core.models import Driver
from core.quarters import Gazetteer


@dataclass(frozen=True)
class DriverFacts:
    account_id: int
    phone: str
    name: str | None
    language: str
    city: str
    zone: tuple[str, ...]
    status: str
    status_reason: str | None
    online: bool
    updated_at: datetime


async def apply(
    units: Units, gazetteer: Gazetteer, phone: str, *, name: str, city: str, quarters: list[str], language: str,
    channel: str,
) -> DriverFacts:
    """A number applies to deliver in quarters of a city; support is to approve or refuse it."""
    async with units.unit() as unit:
        driver = await drivers.apply(unit, gazetteer, phone, name=name, city=city, quarters=quarters, language=language,
                                     actor=f"{channel}:{phone}")
        return facts(driver)


async def drivers_in(units: Units, *, status: str | None, limit: int, after_id: int | None) -> list[DriverFacts]:
    async with units.unit() as unit:
        return [facts(d) for d in await drivers.drivers_in(unit, status=status, limit=limit, after_id=after_id)]


async def decide(units: Units, account_id: int, trigger: str, *, actor: str, reason: str | None) -> DriverFacts:
    """approve, refuse, suspend or reactivate; the driver is told by SMS in their language."""
    async with units.unit() as unit:
        return facts(await drivers.decide(unit, account_id, trigger, actor=actor, reason=reason))


def facts(d: Driver) -> DriverFacts:
    a = d.account
    return DriverFacts(a.id, a.phone, a.name, a.language, d.city, tuple(d.zone or ()), d.status, d.status_reason,
                       d.online, d.updated_at)
