"""Promo codes and offers over REST: an admin's codes at /api/v1/promo-codes (any restaurant, or
all; paid by the restaurant or the platform), a restaurant's own codes and offers under
/api/v1/restaurants/{id}/ for its owner and managers (`core.restaurant_roles.PROMOS`), paid by it.

Each endpoint is one use case of `core.use_cases.promotions`; customers' use of a code is the
checkout's (`promo_code` on an order, a cart checkout, `POST /orders/quote`).
"""
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from channels.api.admin import allow
from channels.api.endpoints import Call, endpoint
from channels.api.menus import Changes
from channels.api.requests import acting_for, has_role
from channels.api.schemas import Id, Shape
from channels.keys import DATABASE, DIALOGS
from core import restaurant_roles as roles
from core.use_cases import promotions

TAG = "promotions"
WHO = "the restaurant's owner and managers, admins"
BASE = "/api/v1/restaurants/{restaurant_id}"
Limit = Annotated[int, Field(ge=1, le=1_000_000)]
Amount = Annotated[int, Field(ge=0, le=promotions.MAX_VALUE_XAF)]
Minute = Annotated[int, Field(ge=0, le=promotions.MINUTES_A_DAY, description="local minutes from midnight")]


class CodeIn(Shape):
    code: str = Field(min_length=3, max_length=20, pattern=r"^[A-Za-z0-9]+$", description="letters and digits; kept upper-case")
    kind: Literal["percent", "fixed", "free_delivery"]
    value: Amount = Field(0, description="percent 1-100, or XAF off the food; 0 for free delivery")
    min_subtotal_xaf: Amount = 0
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    first_order_only: bool = False
    per_customer_limit: Limit | None = Field(1, description="uses per customer; null: no limit")
    total_limit: Limit | None = Field(None, description="uses in all; null: no limit")


class AdminCodeIn(CodeIn):
    restaurant_id: Id | None = Field(None, description="null: valid at every restaurant (paid by the platform)")
    funded_by: Literal["restaurant", "platform"] = "platform"


class CodeChanges(Changes):
    active: bool | None = Field(None, description="false ends the code now")
    ends_at: AwareDatetime | None = None
    total_limit: Limit | None = None
    per_customer_limit: Limit | None = None
    min_subtotal_xaf: Amount | None = None


class CodeOut(Shape):
    id: int
    code: str
    restaurant_id: int | None
    kind: str
    value: int
    min_subtotal_xaf: int
    starts_at: datetime | None
    ends_at: datetime | None
    first_order_only: bool
    per_customer_limit: int | None
    total_limit: int | None
    uses: int = Field(description="orders holding it now (one that ended without food gave its use back)")
    funded_by: str
    active: bool
    created_at: datetime


class CodeList(Shape):
    items: list[CodeOut]


class OfferIn(Shape):
    kind: Literal["percent", "fixed"]
    value: Annotated[int, Field(ge=1, le=promotions.MAX_VALUE_XAF, description="percent 1-100, or XAF off the food")]
    days: str = Field("1234567", pattern=r"^[1-7]{1,7}$", description="ISO weekdays: 1 Monday .. 7 Sunday")
    starts_minute: Minute
    ends_minute: Minute
    valid_from: date | None = None
    valid_until: date | None = Field(None, description="inclusive")
    min_subtotal_xaf: Amount = 0


class OfferOut(Shape):
    id: int
    restaurant_id: int
    kind: str
    value: int
    days: str
    starts_minute: int
    ends_minute: int
    valid_from: date | None
    valid_until: date | None
    min_subtotal_xaf: int
    active: bool
    created_at: datetime


class OfferList(Shape):
    items: list[OfferOut]


class CodeQuery(Shape):
    restaurant_id: Id | None = None


def _out(model, view):
    return model.model_validate(view, from_attributes=True)


def _admin(call: Call) -> promotions.Scope:
    allow(call, "admin")
    return promotions.Scope(actor=f"admin:{call.account_id}", admin=True)


def _at_restaurant(call: Call) -> promotions.Scope:
    restaurant_id = call.path["restaurant_id"]
    if has_role(call.claims, "admin"):
        return promotions.Scope(actor=f"admin:{call.account_id}", restaurant_id=restaurant_id, admin=True)
    acting_for(call.claims, restaurant_id, roles.PROMOS)
    return promotions.Scope(actor=f"app:{call.account_id}", restaurant_id=restaurant_id)


def _terms(body: CodeIn, restaurant_id: int | None, funded_by: str) -> promotions.CodeTerms:
    given = body.model_dump(include=set(CodeIn.model_fields))
    return promotions.CodeTerms(**given, restaurant_id=restaurant_id, funded_by=funded_by)


@endpoint("GET", "/api/v1/promo-codes", tag=TAG, query=CodeQuery, response=CodeList, roles="admin",
          summary="Every promo code, newest first, or one restaurant's")
async def all_codes(call: Call) -> CodeList:
    found = await promotions.codes(call.app[DATABASE], _admin(call), call.query.restaurant_id)
    return CodeList(items=[_out(CodeOut, c) for c in found])


@endpoint("POST", "/api/v1/promo-codes", tag=TAG, body=AdminCodeIn, response=CodeOut, status=201, idempotent=True,
          roles="admin", summary="Make a promo code for one restaurant or all, paid by the restaurant or the platform")
async def make_code(call: Call) -> CodeOut:
    body: AdminCodeIn = call.body
    made = await promotions.create_code(call.app[DATABASE], _admin(call), _terms(body, body.restaurant_id, body.funded_by))
    return _out(CodeOut, made)


@endpoint("PATCH", "/api/v1/promo-codes/{code_id}", tag=TAG, body=CodeChanges, response=CodeOut, roles="admin",
          summary="End, extend or limit a promo code")
async def change_any_code(call: Call) -> CodeOut:
    changed = await promotions.change_code(call.app[DATABASE], _admin(call), call.path["code_id"], call.body.given())
    return _out(CodeOut, changed)


@endpoint("GET", BASE + "/promo-codes", tag=TAG, response=CodeList, roles=WHO, summary="The restaurant's promo codes")
async def restaurant_codes(call: Call) -> CodeList:
    found = await promotions.codes(call.app[DATABASE], _at_restaurant(call), call.path["restaurant_id"])
    return CodeList(items=[_out(CodeOut, c) for c in found])


@endpoint("POST", BASE + "/promo-codes", tag=TAG, body=CodeIn, response=CodeOut, status=201, idempotent=True, roles=WHO,
          summary="Make a promo code valid at this restaurant only, paid by it")
async def make_restaurant_code(call: Call) -> CodeOut:
    made = await promotions.create_code(call.app[DATABASE], _at_restaurant(call),
                                        _terms(call.body, call.path["restaurant_id"], "restaurant"))
    return _out(CodeOut, made)


@endpoint("PATCH", BASE + "/promo-codes/{code_id}", tag=TAG, body=CodeChanges, response=CodeOut, roles=WHO,
          summary="End, extend or limit one of the restaurant's promo codes")
async def change_restaurant_code(call: Call) -> CodeOut:
    changed = await promotions.change_code(call.app[DATABASE], _at_restaurant(call), call.path["code_id"], call.body.given())
    return _out(CodeOut, changed)


@endpoint("GET", BASE + "/offers", tag=TAG, response=OfferList, roles=WHO, summary="The restaurant's offers, ended ones too")
async def restaurant_offers(call: Call) -> OfferList:
    found = await promotions.offers(call.app[DATABASE], _at_restaurant(call), call.path["restaurant_id"])
    return OfferList(items=[_out(OfferOut, o) for o in found])


@endpoint("POST", BASE + "/offers", tag=TAG, body=OfferIn, response=OfferOut, status=201, idempotent=True, roles=WHO,
          summary="Make an offer: money off the food in a window of the week, shown on the restaurant's menu")
async def make_offer(call: Call) -> OfferOut:
    made = await promotions.create_offer(call.app[DATABASE], _at_restaurant(call), call.path["restaurant_id"],
                                         promotions.OfferTerms(**call.body.model_dump()))
    call.app[DIALOGS].catalog.invalidate()
    return _out(OfferOut, made)


@endpoint("DELETE", BASE + "/offers/{offer_id}", tag=TAG, response=OfferOut, roles=WHO,
          summary="End an offer now (orders placed under it keep naming it)")
async def end_offer(call: Call) -> OfferOut:
    ended = await promotions.end_offer(call.app[DATABASE], _at_restaurant(call), call.path["restaurant_id"],
                                       call.path["offer_id"])
    call.app[DIALOGS].catalog.invalidate()
    return _out(OfferOut, ended)
