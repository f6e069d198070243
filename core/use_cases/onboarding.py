"""Restaurants joining Chopbar: applying (and applying again once refused), the applicant reading
their applications, support's review, and the owner keeping the restaurant's people and console
numbers. A change of roles revokes the stale tokens through `revoke` before the database commits,
so a store that cannot take it (503) leaves the roles as they were."""
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import applications, audit, restaurant_people
from core.applications import Form, Hours  # noqa: F401  (the edges build these)
from core.catalog import restaurant as restaurant_of
from core.db import Units
from core.errors import NotFound
from core.models import Account, Restaurant, RestaurantApplication
from core.restaurant_people import Named, Person
from core.restaurants import change_status
from core.revocation import Revocation
from state_machines.restaurant import RestaurantStatus

Revoke = Callable[[Revocation], Awaitable[None]]


@dataclass(frozen=True)
class Application:
    id: int
    restaurant_id: int
    slug: str
    name: str
    city: str
    quarter: str
    status: str
    refusal_reason: str | None
    submitted_at: datetime
    reviewed_at: datetime | None


@dataclass(frozen=True)
class People:
    restaurant_id: int
    console_phone: str
    backup_phone: str | None
    people: tuple[Person, ...]  # owners first, then managers, then staff


@dataclass(frozen=True)
class Reviewed:
    id: int
    status: str
    left: str  # the status it was in


async def apply(units: Units, applicant_id: int, form: Form, *, actor: str) -> Application:
    async with units.unit() as unit:
        applicant = await _applicant(unit, applicant_id)
        return _application(await applications.apply(unit, applicant, form, actor=actor))


async def reapply(units: Units, application_id: int, applicant_id: int, form: Form, *, actor: str) -> Application:
    async with units.unit() as unit:
        applicant = await _applicant(unit, applicant_id)
        application = await applications.own_application(unit, application_id, applicant_id)
        return _application(await applications.reapply(unit, application, applicant, form, actor=actor))


async def mine(units: Units, applicant_id: int) -> list[Application]:
    async with units.unit() as unit:
        return [_application(a) for a in await applications.applications_of(unit, applicant_id)]


async def review(units: Units, restaurant_id: int, trigger: str, *, by: int, actor: str, reason: str | None,
                 revoke: Revoke) -> Reviewed:
    """Approves, refuses or suspends a restaurant. A first approval of an application gives its
    roles and tells the owner; a refusal keeps its reason and tells the owner."""
    async with units.unit() as unit:
        query = select(Restaurant).where(Restaurant.id == restaurant_id).with_for_update(of=Restaurant)
        restaurant = await unit.session.scalar(query)
        if restaurant is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        left = change_status(unit, restaurant, trigger, actor=actor, reason=reason)
        application = await applications.application_of_restaurant(unit, restaurant.id)
        if application is not None and left == RestaurantStatus.PENDING.value:
            if trigger == "approve":
                for revocation in await applications.approved(unit, restaurant, application, by=by, actor=actor):
                    await revoke(revocation)
            elif trigger == "refuse":
                await applications.refused(unit, restaurant, application, reason or "", actor=actor)
        return Reviewed(restaurant.id, restaurant.status, left)


async def people(units: Units, restaurant_id: int) -> People:
    async with units.unit() as unit:
        restaurant = await restaurant_of(unit, restaurant_id)
        return await _people(unit, restaurant)


async def set_people(units: Units, restaurant_id: int, *, console_phone: str, backup_phone: str | None,
                     named: Sequence[Named], by: int, actor: str, revoke: Revoke) -> People:
    """The restaurant's console numbers, managers and staff from now on, audited."""
    async with units.unit() as unit:
        query = select(Restaurant).where(Restaurant.id == restaurant_id).with_for_update(of=Restaurant)
        restaurant = await unit.session.scalar(query)
        if restaurant is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        await restaurant_people.check_console(unit, restaurant.id, console_phone, backup_phone)
        checked = restaurant_people.check_named(named)
        before = await _people(unit, restaurant)
        restaurant.phone, restaurant.backup_phone = console_phone, backup_phone
        for revocation in await restaurant_people.replace_named(unit, restaurant, checked, by=by, actor=actor):
            await revoke(revocation)
        after = await _people(unit, restaurant)
        audit.record(unit, "restaurant", str(restaurant.id), "people_changed", actor=actor, data={
            "before": _said(before), "after": _said(after),
        })
        return after


def _said(people: People) -> dict:
    return {"console_phone": people.console_phone, "backup_phone": people.backup_phone,
            "people": [[p.phone, p.role] for p in people.people]}


async def _people(unit, restaurant: Restaurant) -> People:
    found = await restaurant_people.people_of(unit, restaurant.id)
    return People(restaurant.id, restaurant.phone, restaurant.backup_phone, tuple(found))


async def _applicant(unit, applicant_id: int) -> Account:
    applicant = await unit.session.get(Account, applicant_id)
    if applicant is None:
        raise NotFound(f"no account {applicant_id}")
    return applicant


def _application(a: RestaurantApplication) -> Application:
    r = a.restaurant
    return Application(a.id, r.id, r.slug, r.name, r.city, r.quarter.name, r.status, a.refusal_reason, a.submitted_at,
                       a.reviewed_at)

