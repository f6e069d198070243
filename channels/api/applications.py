"""Restaurants applying over REST: a signed-in account applies for a restaurant it will own, reads
its applications (status and a refusal's reason), and sends a refused one again, corrected.

Numbers are taken as people write them and kept in E.164; the quarter as typed, matched through
the gazetteer. Support reviews in `channels.api.admin` (refuse) and admins approve.
"""
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from channels.api.endpoints import Call, endpoint
from channels.api.kitchen import Span, spans_of
from channels.api.schemas import Landmark, Phone, Shape, Text, printable
from channels.keys import DATABASE
from core.errors import BadInput
from core.i18n import LANGUAGES
from core.phones import to_e164
from core.restaurant_people import MAX_PEOPLE, NAMED_ROLES
from core.use_cases import onboarding
from core.use_cases.onboarding import Application, Form, Hours

TAG = "restaurant applications"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60), AfterValidator(printable)]
Cuisine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60), AfterValidator(printable)]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40), AfterValidator(printable)]


class PersonIn(Shape):
    phone: Phone
    role: Literal[NAMED_ROLES] = Field(description="a manager keeps the menu, prices and hours; staff answer orders")


class ApplicationIn(Shape):
    name: Name
    city: City = Field(description="a city of the quarter list: Yaounde or Douala")
    quarter: Text = Field(description="as people write it; matched through the quarter list")
    landmark: Landmark = Field("", description="how to find it: 'behind the Total station'")
    console_phone: Phone = Field(description="the kitchen's phone: new orders come to it by SMS and it answers them")
    backup_phone: Phone | None = Field(None, description="a second phone that stands in for the console")
    people: list[PersonIn] = Field(default_factory=list, max_length=MAX_PEOPLE,
                                   description="managers and staff; they get their roles when the restaurant is approved")
    hours: list[Span] = Field(max_length=21, description="every opening span of the week, local time")
    cuisine: Cuisine = Field(description="what it cooks: 'Cameroonian', 'grills', 'fish'")
    language: Literal[LANGUAGES] = Field(description="of its SMS console")


class ApplicationOut(Shape):
    id: int
    restaurant_id: int
    slug: str
    name: str
    city: str
    quarter: str = Field(description="the quarter list's name of it")
    status: str = Field(description="pending (waiting for review), approved, refused or suspended")
    refusal_reason: str | None = Field(description="why support refused it; gone once it is sent again")
    submitted_at: datetime
    reviewed_at: datetime | None

    @classmethod
    def of(cls, a: Application) -> "ApplicationOut":
        return cls(id=a.id, restaurant_id=a.restaurant_id, slug=a.slug, name=a.name, city=a.city, quarter=a.quarter,
                   status=a.status, refusal_reason=a.refusal_reason, submitted_at=a.submitted_at,
                   reviewed_at=a.reviewed_at)


class ApplicationList(Shape):
    items: list[ApplicationOut]


def e164(field: str, raw: str) -> str:
    """A number as E.164, or a 400 naming the field it came in."""
    try:
        return to_e164(raw)
    except BadInput as error:
        raise BadInput(f"{field}: {error}") from None


def _form(body: ApplicationIn) -> Form:
    people = tuple((e164(f"people.{i}.phone", p.phone), p.role) for i, p in enumerate(body.people))
    hours = tuple(Hours(s.weekday, s.opens_min, s.closes_min) for s in spans_of(body.hours))
    return Form(
        name=" ".join(body.name.split()), city=body.city, quarter=body.quarter, landmark=" ".join(body.landmark.split()),
        console_phone=e164("console_phone", body.console_phone),
        backup_phone=e164("backup_phone", body.backup_phone) if body.backup_phone else None,
        people=people, hours=hours, cuisine=" ".join(body.cuisine.split()), language=body.language,
    )


def _actor(call: Call) -> str:
    return f"app:{call.account_id}"


@endpoint("POST", "/api/v1/restaurant-applications", tag=TAG, body=ApplicationIn, response=ApplicationOut, status=201,
          summary="Apply for a restaurant you will own: it waits for review, unlisted", roles="any signed-in account")
async def apply(call: Call) -> ApplicationOut:
    applied = await onboarding.apply(call.app[DATABASE], call.account_id, _form(call.body), actor=_actor(call))
    return ApplicationOut.of(applied)


@endpoint("GET", "/api/v1/restaurant-applications/mine", tag=TAG, response=ApplicationList,
          summary="Your applications, newest first: their status and any refusal's reason", roles="any signed-in account")
async def mine(call: Call) -> ApplicationList:
    return ApplicationList(items=[ApplicationOut.of(a) for a in await onboarding.mine(call.app[DATABASE], call.account_id)])


@endpoint("PUT", "/api/v1/restaurant-applications/{application_id}", tag=TAG, body=ApplicationIn, response=ApplicationOut,
          summary="Send a refused application again, corrected: it waits for review once more",
          roles="the account that applied")
async def reapply(call: Call) -> ApplicationOut:
    again = await onboarding.reapply(call.app[DATABASE], call.path["application_id"], call.account_id, _form(call.body),
                                     actor=_actor(call))
    return ApplicationOut.of(again)
