"""A restaurant's people over REST, for its owner: who has a role there, and the console numbers
(the main one runs the SMS console, the backup stands in). Replacing them gives the new roles and
takes the old ones away; tokens carrying the old roles stop working (the apps refresh)."""
from pydantic import Field

from channels.api.applications import PersonIn, e164
from channels.api.endpoints import Call, endpoint
from channels.api.requests import acting_for
from channels.api.schemas import Phone, Shape
from channels.keys import DATABASE, DIALOGS, REVOCATIONS
from core import restaurant_roles as roles
from core.restaurant_people import MAX_PEOPLE
from core.use_cases import onboarding

TAG = "restaurant"
OWNER_ONLY = "the restaurant's owner"


class PersonOut(Shape):
    phone: str
    role: str = Field(description="owner, manager or staff")
    name: str | None


class PeopleOut(Shape):
    restaurant_id: int
    console_phone: str
    backup_phone: str | None
    people: list[PersonOut] = Field(description="owners first, then managers, then staff")


class PeopleIn(Shape):
    console_phone: Phone = Field(description="the kitchen's phone: new orders come to it by SMS")
    backup_phone: Phone | None = Field(None, description="a second phone that stands in for the console; null: none")
    people: list[PersonIn] = Field(max_length=MAX_PEOPLE, description="every manager and staff from now on; owners stay")


def _out(found: onboarding.People) -> PeopleOut:
    return PeopleOut(restaurant_id=found.restaurant_id, console_phone=found.console_phone, backup_phone=found.backup_phone,
                     people=[PersonOut(phone=p.phone, role=p.role, name=p.name) for p in found.people])


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/people", tag=TAG, response=PeopleOut,
          summary="Who works at the restaurant, with their roles, and its console numbers", roles=OWNER_ONLY)
async def people(call: Call) -> PeopleOut:
    restaurant_id = acting_for(call.claims, call.path["restaurant_id"], roles.PEOPLE)
    return _out(await onboarding.people(call.app[DATABASE], restaurant_id))


@endpoint("PUT", "/api/v1/restaurants/{restaurant_id}/people", tag=TAG, body=PeopleIn, response=PeopleOut,
          summary="Replace the managers and staff, and the console numbers", roles=OWNER_ONLY)
async def set_people(call: Call) -> PeopleOut:
    restaurant_id = acting_for(call.claims, call.path["restaurant_id"], roles.PEOPLE)
    body: PeopleIn = call.body
    named = [(e164(f"people.{i}.phone", p.phone), p.role) for i, p in enumerate(body.people)]
    changed = await onboarding.set_people(
        call.app[DATABASE], restaurant_id, console_phone=e164("console_phone", body.console_phone),
        backup_phone=e164("backup_phone", body.backup_phone) if body.backup_phone else None, named=named,
        by=call.account_id, actor=f"app:{call.account_id}", revoke=call.app[REVOCATIONS].revoke,
    )
    call.app[DIALOGS].catalog.invalidate()  # the SMS console finds the restaurant by its numbers
    return _out(changed)
