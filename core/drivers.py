"""Drivers: taken on by support (city and zone of quarters), and what each is owed."""
from dataclasses import dataclass

from sqlalchemy import select

from core import audit, ledger
from core.accounts import account_for
from core.db import Unit
from core.errors import BadInput
from core.models import Account, Driver, Quarter, Restaurant, Role
from core.payments import remit_cash


async def onboard(unit: Unit, phone: str, *, name: str, city: str, zone: list[str], language: str, actor: str) -> Driver:
    """Makes a number a driver of a city, serving the named quarters (spelled as in the gazetteer)."""
    known = {q.name: q for q in await unit.session.scalars(select(Quarter).where(Quarter.city == city))}
    if not known:
        raise BadInput(f"no quarters known in {city}")
    unknown = [q for q in zone if q not in known]
    if unknown or not zone:
        raise BadInput(f"not quarters of {city}: {', '.join(unknown) or '(none given)'}")
    account = await account_for(unit, phone, default_language=language)
    account.name = name
    if not account.has_role("driver"):
        account.roles.append(Role(role="driver"))
    driver = await unit.session.get(Driver, account.id)
    if driver is None:
        driver = Driver(account_id=account.id, city=city, zone=zone, home_quarter_id=known[zone[0]].id,
                        online=False, updated_at=unit.now(), account=account)
        unit.session.add(driver)
    else:
        driver.city, driver.zone, driver.updated_at = city, zone, unit.now()
    audit.record(unit, "account", phone, "onboard_driver", actor=actor, data={"city": city, "zone": zone})
    return driver


@dataclass(frozen=True)
class Payout:
    kind: str  # driver or restaurant
    name: str
    phone: str
    owed_xaf: int  # what Chopbar owes them now; negative: what they owe (cash kept)


async def payouts(unit: Unit) -> list[Payout]:
    """What each driver and restaurant is owed, from the ledger alone.

    A driver is owed their delivery fees less the cash they collected and kept; a restaurant
    its food sales less commission and less the pickup cash it took at its counter. Negative
    means they hold more cash than they earned.
    """
    balances = await ledger.balances(unit)
    result = []
    for driver in await unit.session.scalars(select(Driver)):
        earned = -balances.get(f"driver:{driver.account_id}", 0)
        cash = balances.get(f"cash:driver:{driver.account_id}", 0)
        if earned or cash:
            result.append(Payout("driver", driver.account.name or driver.account.phone, driver.account.phone, earned - cash))
    for restaurant in await unit.session.scalars(select(Restaurant).order_by(Restaurant.name)):
        owed = -balances.get(f"restaurant:{restaurant.id}", 0) - balances.get(f"cash:restaurant:{restaurant.id}", 0)
        if owed:
            result.append(Payout("restaurant", restaurant.name, restaurant.phone, owed))
    return result


async def driver_of(unit: Unit, phone: str) -> Driver | None:
    return await unit.session.scalar(select(Driver).join(Account).where(Account.phone == phone))


async def remit(unit: Unit, phone: str, amount_xaf: int, *, actor: str) -> int:
    """Support records cash a driver handed over; returns what the driver still holds."""
    driver = await driver_of(unit, phone)
    if driver is None:
        raise BadInput(f"{phone} is not a driver")
    await remit_cash(unit, driver.account_id, amount_xaf)
    audit.record(unit, "account", phone, "cash_remitted", actor=actor, data={"amount_xaf": amount_xaf})
    return await ledger.balance(unit, f"cash:driver:{driver.account_id}")
