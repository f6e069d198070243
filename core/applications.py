"""Restaurants applying to Chopbar: the application makes a pending restaurant (not listed, no
orders) with its hours and the people it names; support's review approves it (the applicant owns
it, the people get their roles, the owner is told by SMS) or refuses it with a reason (told too),
and a refused applicant may correct the application and send it again."""
import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii
from sqlalchemy import select

from core import audit, outbox, quarters, restaurant_notices, restaurant_people
from core.db import Unit
from core.errors import BadInput, Conflict, NotFound
from core.i18n import LANGUAGES
from core.models import Account, OpeningHours, Quarter, Restaurant, RestaurantApplication
from core.restaurant_people import Named
from core.restaurants import change_status
from core.revocation import Revocation
from state_machines.restaurant import RestaurantStatus

MAX_SLUG = 60


@dataclass(frozen=True)
class Hours:
    weekday: int  # 0 Monday .. 6 Sunday
    opens_min: int  # minutes after local midnight
    closes_min: int


@dataclass(frozen=True)
class Form:
    """What an applicant sends, numbers already in E.164."""

    name: str
    city: str
    quarter: str  # as typed: matched through the gazetteer
    landmark: str
    console_phone: str
    backup_phone: str | None
    people: tuple[Named, ...]
    hours: tuple[Hours, ...]
    cuisine: str
    language: str


async def find_quarter(unit: Unit, city: str, typed: str) -> Quarter:
    """The stored quarter of `city` that `typed` names, through the gazetteer's matching (spellings,
    aliases, a typo); BadInput naming the field when the city or the quarter is not known."""
    rows = list(await unit.session.scalars(select(Quarter)))
    cities = sorted({q.city for q in rows})
    city_key = quarters.normalize(city)
    known = next((c for c in cities if quarters.normalize(c) == city_key), None)
    if known is None:
        raise BadInput(f"city: {city!r} is not one of {', '.join(cities) or '(no quarters loaded)'}")
    in_city = [q for q in rows if q.city == known]
    gazetteer = quarters.Gazetteer(
        quarters.Quarter(city=q.city, name=q.name, arrondissement=q.arrondissement, lat=q.lat, lon=q.lon,
                         aliases=tuple(a for a in q.aliases.split("|") if a), source=q.source)
        for q in in_city
    )
    found = gazetteer.match(typed, city=known)
    if found is None:
        raise BadInput(f"quarter: we do not know {typed!r} in {known}; write it as on the quarter's signs, "
                       f"or ask support to add it")
    return next(q for q in in_city if q.name == found.name)


def _slug_base(name: str, quarter: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", anyascii(f"{name} {quarter}").lower()).strip("-")
    return words[:MAX_SLUG - 4].strip("-") or "restaurant"


async def _free_slug(unit: Unit, name: str, quarter: str) -> str:
    base = _slug_base(name, quarter)
    taken = set(await unit.session.scalars(select(Restaurant.slug).where(Restaurant.slug.startswith(base))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


async def _check(unit: Unit, form: Form, applicant: Account, restaurant_id: int | None) -> Quarter:
    if form.language not in LANGUAGES:
        raise BadInput(f"language: must be one of {', '.join(LANGUAGES)}")
    quarter = await find_quarter(unit, form.city, form.quarter)
    await restaurant_people.check_console(unit, restaurant_id, form.console_phone, form.backup_phone)
    restaurant_people.check_named(form.people, owner_phone=applicant.phone)
    return quarter


def _fill(restaurant: Restaurant, form: Form, quarter: Quarter) -> None:
    restaurant.name, restaurant.city, restaurant.quarter_id = form.name, quarter.city, quarter.id
    restaurant.landmark, restaurant.lat, restaurant.lon = form.landmark, quarter.lat, quarter.lon
    restaurant.phone, restaurant.backup_phone = form.console_phone, form.backup_phone
    restaurant.language, restaurant.cuisine = form.language, form.cuisine
    restaurant.hours = [OpeningHours(weekday=h.weekday, opens_min=h.opens_min, closes_min=h.closes_min) for h in form.hours]


def _people(form: Form) -> list[dict]:
    return [{"phone": phone, "role": role} for phone, role in form.people]


async def apply(unit: Unit, applicant: Account, form: Form, *, actor: str) -> RestaurantApplication:
    """A new restaurant, pending review; one application waits for review per applicant at a time."""
    waiting = await unit.session.scalar(
        select(RestaurantApplication.id).join(Restaurant, Restaurant.id == RestaurantApplication.restaurant_id)
        .where(RestaurantApplication.account_id == applicant.id, Restaurant.status == RestaurantStatus.PENDING.value)
        .limit(1)
    )
    if waiting is not None:
        raise Conflict(f"your application {waiting} is waiting for review already")
    quarter = await _check(unit, form, applicant, None)
    restaurant = Restaurant(slug=await _free_slug(unit, form.name, quarter.name), status=RestaurantStatus.PENDING.value,
                            created_at=unit.now(), updated_at=unit.now())
    _fill(restaurant, form, quarter)
    unit.session.add(restaurant)
    await unit.session.flush()
    application = RestaurantApplication(restaurant_id=restaurant.id, account_id=applicant.id, people=_people(form),
                                        submitted_at=unit.now())
    unit.session.add(application)
    await unit.session.flush()
    await unit.session.refresh(restaurant, ["quarter"])
    await unit.session.refresh(application, ["restaurant"])
    audit.record(unit, "restaurant", str(restaurant.id), "apply", actor=actor, to_state=restaurant.status,
                 data={"application": application.id, "people": application.people})
    return application


async def reapply(unit: Unit, application: RestaurantApplication, applicant: Account, form: Form, *,
                  actor: str) -> RestaurantApplication:
    """A refused application corrected and sent again: pending review once more."""
    restaurant = application.restaurant
    if restaurant.status != RestaurantStatus.REFUSED.value:
        raise Conflict(f"application {application.id} is {restaurant.status}: only a refused one is sent again")
    quarter = await _check(unit, form, applicant, restaurant.id)
    _fill(restaurant, form, quarter)
    application.people, application.submitted_at = _people(form), unit.now()
    application.refusal_reason = application.reviewed_at = application.reviewed_by = None
    change_status(unit, restaurant, "reapply", actor=actor)
    await unit.session.flush()
    await unit.session.refresh(restaurant, ["quarter"])
    return application


async def application_of_restaurant(unit: Unit, restaurant_id: int) -> RestaurantApplication | None:
    return await unit.session.scalar(select(RestaurantApplication).where(RestaurantApplication.restaurant_id == restaurant_id))


async def own_application(unit: Unit, application_id: int, applicant_id: int) -> RestaurantApplication:
    """The applicant's application, locked for the change; 404 for anyone else's (not theirs to know)."""
    found = await unit.session.scalar(
        select(RestaurantApplication).where(RestaurantApplication.id == application_id,
                                            RestaurantApplication.account_id == applicant_id)
        .with_for_update(of=RestaurantApplication)
    )
    if found is None:
        raise NotFound(f"no application {application_id} of yours")
    return found


async def applications_of(unit: Unit, applicant_id: int) -> Sequence[RestaurantApplication]:
    """The applicant's applications, newest first."""
    return list(await unit.session.scalars(
        select(RestaurantApplication).where(RestaurantApplication.account_id == applicant_id)
        .order_by(RestaurantApplication.id.desc())
    ))


async def approved(unit: Unit, restaurant: Restaurant, application: RestaurantApplication, *, by: int,
                   actor: str) -> list[Revocation]:
    """After a first approval: the applicant owns the restaurant, the people named get their roles,
    the owner is told. Returns the revocations of the accounts whose roles changed."""
    owner = await unit.session.get(Account, application.account_id)
    revocations = [r for r in [await restaurant_people.make_owner(unit, restaurant, owner, by=by, actor=actor)] if r]
    named = [(p["phone"], p["role"]) for p in application.people]
    revocations += await restaurant_people.replace_named(unit, restaurant, named, by=by, actor=actor)
    application.reviewed_at, application.reviewed_by, application.refusal_reason = unit.now(), actor, None
    await outbox.enqueue(unit, owner.phone, restaurant_notices.approved(restaurant, owner.language),
                         kind="restaurant.approved")
    return revocations


async def refused(unit: Unit, restaurant: Restaurant, application: RestaurantApplication, reason: str, *,
                  actor: str) -> None:
    """After a refusal: the reason is kept for the applicant to read, and sent to them by SMS."""
    owner = await unit.session.get(Account, application.account_id)
    application.reviewed_at, application.reviewed_by, application.refusal_reason = unit.now(), actor, reason
    await outbox.enqueue(unit, owner.phone, restaurant_notices.refused(restaurant, reason, owner.language),
                         kind="restaurant.refused")
