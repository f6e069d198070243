"""Drivers: taken on by support (city and zone of quarters), or applying and then approved,
refused, suspended and reactivated by support; and what each is owed."""
from dataclasses import dataclass

from sqlalchemy import select

from core import audit, ledger, outbox, support_notices
from core.accounts import account_for
from core.db import Unit
from core.errors import BadInput, Conflict, NotFound
from core.models import Account, Driver, Quarter, Restaurant, Role
from core.payments import remit_cash
from core.quarters import Gazetteer
from core.sealing import blind
from state_machines.driver import DriverFlow, DriverStatus

MAX_NAME = 80


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
                        online=False, status=DriverStatus.APPROVED.value, updated_at=unit.now(), account=account)
        unit.session.add(driver)
    else:
        driver.city, driver.zone, driver.updated_at = city, zone, unit.now()
        if driver.status in (DriverStatus.APPLIED.value, DriverStatus.REFUSED.value):  # support takes them on
            driver.status, driver.status_reason = DriverStatus.APPROVED.value, None
    audit.record(unit, "account", str(account.id), "onboard_driver", actor=actor, data={"city": city, "zone": zone})
    return driver


def _zone(gazetteer: Gazetteer, city: str, quarters: list[str]) -> list[str]:
    """The quarters as the gazetteer names them; BadInput naming the ones it does not know."""
    if city not in gazetteer.cities():
        raise BadInput(f"we deliver in {', '.join(gazetteer.cities())}, not in {city[:40]}")
    found, unknown = [], []
    for typed in quarters:
        quarter = gazetteer.match(typed, city)
        if quarter is None:
            unknown.append(typed[:40])
        elif quarter.name not in found:
            found.append(quarter.name)
    if unknown or not found:
        raise BadInput(f"not quarters of {city}: {', '.join(unknown) or '(none given)'}")
    return found


async def apply(
    unit: Unit, gazetteer: Gazetteer, phone: str, *, name: str, city: str, quarters: list[str], language: str, actor: str,
) -> Driver:
    """A number asks to deliver for Chopbar: its driver profile waits, APPLIED, for support to decide.

    A refused applicant may apply again; a number already applied, approved or suspended cannot."""
    name = " ".join(name.split())
    if not 2 <= len(name) <= MAX_NAME or not name.isprintable():
        raise BadInput(f"give your name, 2 to {MAX_NAME} characters")
    zone = _zone(gazetteer, city, quarters)
    home = await unit.session.scalar(select(Quarter).where(Quarter.city == city, Quarter.name == zone[0]))
    account = await account_for(unit, phone, default_language=language)
    driver = await _locked(unit, account.id)
    if driver is not None and driver.status != DriverStatus.REFUSED.value:
        raise Conflict(f"{phone} is already {'applying' if driver.status == DriverStatus.APPLIED.value else 'a driver'}")
    account.name = account.name or name
    if driver is None:
        driver = Driver(account_id=account.id, city=city, zone=zone, home_quarter_id=home.id if home else None,
                        online=False, status=DriverStatus.APPLIED.value, updated_at=unit.now(), account=account)
        unit.session.add(driver)
        audit.record(unit, "driver", str(account.id), "apply", actor=actor, to_state=driver.status,
                     data={"name": name, "city": city, "zone": zone})
    else:
        driver.city, driver.zone, driver.home_quarter_id = city, zone, home.id if home else None
        audit.change(unit, DriverFlow(driver), "reapply", actor=actor, data={"name": name, "city": city, "zone": zone})
        driver.status_reason = None
    account.name = name
    account.language = language  # the language chosen on any channel is the person's on every channel
    await unit.session.flush()
    return driver


async def _locked(unit: Unit, account_id: int) -> Driver | None:
    # Only the driver's row: PostgreSQL refuses FOR UPDATE on the outer-joined account.
    return await unit.session.scalar(select(Driver).where(Driver.account_id == account_id).with_for_update(of=Driver))


NEEDS_REASON = ("refuse", "suspend")


async def decide(unit: Unit, account_id: int, trigger: str, *, actor: str, reason: str | None) -> Driver:
    """Support approves, refuses, suspends or reactivates a driver, who is told by SMS in their language.

    Approval gives the account the driver role (the driver's keywords, menu and API); a suspended
    driver keeps it, to finish a job in hand, but goes offline and gets no offers."""
    if trigger in NEEDS_REASON and not (reason or "").strip():
        raise BadInput(f"say why you {trigger} this driver")
    driver = await _locked(unit, account_id)
    if driver is None:
        raise NotFound(f"no driver {account_id}")
    audit.change(unit, DriverFlow(driver), trigger, actor=actor, reason=reason)
    account = driver.account
    driver.status_reason = reason.strip()[:160] if trigger in NEEDS_REASON and reason else None
    if trigger == "approve" and not account.has_role("driver"):
        account.roles.append(Role(role="driver"))
    if trigger == "suspend":
        driver.online = False
    await outbox.enqueue(unit, account.phone, support_notices.driver_decision(trigger, driver.status_reason, account.language),
                         kind=f"driver.{trigger}")
    return driver


async def drivers_in(unit: Unit, *, status: str | None, limit: int, after_id: int | None) -> list[Driver]:
    """Driver profiles (in one status, or all), oldest account first, after the cursor."""
    query = select(Driver)
    if status:
        query = query.where(Driver.status == status)
    if after_id:
        query = query.where(Driver.account_id > after_id)
    return list(await unit.session.scalars(query.order_by(Driver.account_id).limit(limit)))


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
    return await unit.session.scalar(select(Driver).join(Account).where(Account.phone_key == blind(phone)))


async def remit(unit: Unit, phone: str, amount_xaf: int, *, actor: str) -> int:
    """Support records cash a driver handed over; returns what the driver still holds."""
    driver = await driver_of(unit, phone)
    if driver is None:
        raise BadInput(f"{phone} is not a driver")
    await remit_cash(unit, driver.account_id, amount_xaf)
    audit.record(unit, "account", str(driver.account_id), "cash_remitted", actor=actor, data={"amount_xaf": amount_xaf})
    return await ledger.balance(unit, f"cash:driver:{driver.account_id}")
