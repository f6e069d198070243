"""Support and admin over REST: restaurants approved, refused or suspended and their commission,
accounts and their roles, order search, refunds, and the audit log. Support reads, refunds and
reviews applications (approves or refuses them); only admins suspend, set a commission and change roles.

Lists are by cursor (the `next` of one page asks for the one after); every change is audited.
"""
from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from channels.api.endpoints import MAX_ID, Call, endpoint
from channels.api.requests import has_role, require_role
from channels.api.orders import page_of
from channels.api.schemas import Id, OrderPage, Page, Phone, Reason, RestaurantBasics, Shape, cut
from channels.keys import DATABASE, DIALOGS, REVOCATIONS, WAKE
from core import accounts
from core.codes import CODE_LENGTH
from core.phones import to_e164
from core.pricing import MAX_COMMISSION_PERCENT
from core.use_cases import onboarding, support
from core.use_cases.support import AccountFacts, RestaurantFacts
from state_machines.order import OrderStatus
from state_machines import restaurant as lifecycle

TAG = "support and admin"
SUPPORT = "support, admin"
ADMIN = "admin"
RestaurantStatus = Literal[tuple(s.value for s in lifecycle.RestaurantStatus)]
RoleName = Literal[accounts.ROLES]
OrderState = Literal[tuple(s.value for s in OrderStatus)]
# One line of text: PostgreSQL refuses a NUL in a string, and the audit log is read line by line.
ONE_LINE = r"^[^\x00-\x1f\x7f]+$"


class Paging(Shape):
    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data):
        """A search form sends the fields left empty: `?status=&code=` means no such filter."""
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data

    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="the `next` value of the previous page")
    limit: int = Field(20, ge=1, le=100, description="at most this many on a page")


class RestaurantQuery(Paging):
    status: RestaurantStatus | None = Field(None, description="only restaurants in this status")


class RestaurantRecord(RestaurantBasics):
    """A restaurant as support and admins see it: its contact and standing."""

    phone: str
    status: str = Field(description="pending, approved, refused or suspended")
    paused: bool
    created_at: datetime
    commission_percent: int | None = Field(description="set by an admin instead of the tier's; null: the tier's")
    tier_percent: int = Field(description="the commission of its tier now: 15, 12 or 10")

    @classmethod
    def of(cls, r: RestaurantFacts) -> "RestaurantRecord":
        return cls(id=r.id, slug=r.slug, name=r.name, city=r.city, quarter=r.quarter, phone=r.phone, status=r.status,
                   paused=r.paused, created_at=r.created_at, commission_percent=r.commission_percent,
                   tier_percent=r.tier_percent)


class RestaurantPage(Page):
    items: list[RestaurantRecord]


class Approval(Shape):
    reason: Reason | None = Field(None, description="why, for the audit log")


class Suspension(Shape):
    reason: Reason = Field(description="why, for the audit log")


class Refusal(Shape):
    reason: Reason = Field(description="why, sent to the applicant by SMS and shown in their application")


class Commission(Shape):
    percent: int | None = Field(ge=0, le=MAX_COMMISSION_PERCENT,
                                description="the restaurant's commission from now on, instead of its tier's; null: the tier's")


class AccountQuery(Shape):
    phone: Phone = Field(description="the account's number, as people write it")


class RoleIo(Shape):
    role: RoleName
    restaurant_id: Id | None = Field(None, description="the restaurant of an owner, manager or staff; null for other roles")


class AccountOut(Shape):
    id: int
    phone: str
    name: str | None
    language: str
    created_at: datetime
    roles: list[RoleIo]

    @classmethod
    def of(cls, a: AccountFacts) -> "AccountOut":
        roles = sorted((RoleIo(role=role, restaurant_id=restaurant_id) for role, restaurant_id in a.roles),
                       key=lambda r: (r.role, r.restaurant_id or 0))
        return cls(id=a.id, phone=a.phone, name=a.name, language=a.language, created_at=a.created_at, roles=roles)


class Roles(Shape):
    roles: list[RoleIo] = Field(min_length=1, max_length=20, description="the account's roles from now on, all of them")


class OrderSearch(Paging):
    status: OrderState | None = Field(None, description="only orders in this status")
    restaurant_id: Id | None = Field(None, description="only this restaurant's orders")
    phone: Phone | None = Field(None, description="the customer's or the payer's number")
    code: str | None = Field(None, pattern=rf"^[0-9]{{{CODE_LENGTH}}}$", description="the order's code")


class Refund(Shape):
    amount_xaf: int | None = Field(None, ge=1, le=MAX_ID, description="how much to give back; null: all that is left")
    reason: Reason = Field(description="why, for the audit log")


class RefundOut(Shape):
    code: str
    payment_reference: str
    payment_status: str
    paid_xaf: int
    refunded_xaf: int = Field(description="already sent back")
    refund_due_xaf: int = Field(description="on its way back now, this refund")


class AuditQuery(Paging):
    entity: str | None = Field(None, min_length=1, max_length=20, pattern=ONE_LINE,
                               description="order, payment, restaurant, account...")
    ref: str | None = Field(None, min_length=1, max_length=40, pattern=ONE_LINE,
                            description="the entity's reference: an order code, a payment reference, an id")


class AuditOut(Shape):
    id: int
    entity: str
    ref: str
    trigger: str
    from_state: str | None
    to_state: str | None
    actor: str
    reason: str | None
    data: dict
    at: datetime


class AuditPage(Page):
    items: list[AuditOut]


def allow(call: Call, *roles: str) -> None:
    require_role(call.claims, *roles)


def actor(call: Call) -> str:
    return f"{'admin' if has_role(call.claims, 'admin') else 'support'}:{call.account_id}"


@endpoint("GET", "/api/v1/admin/restaurants", tag=TAG, query=RestaurantQuery, response=RestaurantPage,
          summary="Restaurants by status, oldest first", roles=SUPPORT)
async def list_restaurants(call: Call) -> RestaurantPage:
    allow(call, "support", "admin")
    q: RestaurantQuery = call.query
    found = await support.restaurants_in(call.app[DATABASE], status=q.status, limit=q.limit + 1, after_id=q.cursor)
    page, after = cut(found, q.limit)
    return RestaurantPage(items=[RestaurantRecord.of(r) for r in page], next=after)


async def _move_restaurant(call: Call, trigger: str, reason: str | None) -> RestaurantRecord:
    moved = await onboarding.review(call.app[DATABASE], call.path["restaurant_id"], trigger, by=call.account_id,
                                    actor=actor(call), reason=reason, revoke=call.app[REVOCATIONS].revoke)
    call.app[DIALOGS].catalog.invalidate()  # this process lists it (or not) at once, others within the TTL
    call.app[WAKE].set()  # the owner's SMS goes now
    return RestaurantRecord.of(await support.restaurant_facts(call.app[DATABASE], moved.id))


@endpoint("POST", "/api/v1/admin/restaurants/{restaurant_id}/approve", tag=TAG, body=Approval, response=RestaurantRecord,
          summary="Approve a pending or suspended restaurant: it is listed and takes orders", roles=SUPPORT)
async def approve_restaurant(call: Call) -> RestaurantRecord:
    allow(call, "support", "admin")
    return await _move_restaurant(call, "approve", call.body.reason)


@endpoint("POST", "/api/v1/admin/restaurants/{restaurant_id}/refuse", tag=TAG, body=Refusal, response=RestaurantRecord,
          summary="Refuse a pending application; the applicant is told why by SMS and may apply again", roles=SUPPORT)
async def refuse_restaurant(call: Call) -> RestaurantRecord:
    allow(call, "support", "admin")
    return await _move_restaurant(call, "refuse", call.body.reason)


@endpoint("POST", "/api/v1/admin/restaurants/{restaurant_id}/suspend", tag=TAG, body=Suspension, response=RestaurantRecord,
          summary="Suspend a restaurant: it is no longer listed and takes no new orders", roles=ADMIN)
async def suspend_restaurant(call: Call) -> RestaurantRecord:
    allow(call, "admin")
    return await _move_restaurant(call, "suspend", call.body.reason)


@endpoint("PUT", "/api/v1/admin/restaurants/{restaurant_id}/commission", tag=TAG, body=Commission,
          response=RestaurantRecord, summary="Set a restaurant's commission instead of its tier's, or back to the tier's",
          roles=ADMIN)
async def set_commission(call: Call) -> RestaurantRecord:
    allow(call, "admin")
    changed = await support.set_commission(call.app[DATABASE], call.path["restaurant_id"], call.body.percent,
                                           actor=actor(call))
    call.app[DIALOGS].catalog.invalidate()
    return RestaurantRecord.of(changed)


@endpoint("GET", "/api/v1/admin/accounts", tag=TAG, query=AccountQuery, response=AccountOut,
          summary="An account by phone number, with its roles", roles=SUPPORT)
async def find_by_phone(call: Call) -> AccountOut:
    allow(call, "support", "admin")
    return AccountOut.of(await support.account_by_phone(call.app[DATABASE], to_e164(call.query.phone)))


@endpoint("PUT", "/api/v1/admin/accounts/{account_id}/roles", tag=TAG, body=Roles, response=AccountOut,
          summary="Replace an account's roles; its tokens with the old ones stop working", roles=ADMIN)
async def set_roles(call: Call) -> AccountOut:
    allow(call, "admin")
    changed = await support.set_roles(
        call.app[DATABASE], call.path["account_id"], {(r.role, r.restaurant_id) for r in call.body.roles},
        by=call.account_id, actor=actor(call), revoke=call.app[REVOCATIONS].revoke,
    )
    return AccountOut.of(changed)


@endpoint("GET", "/api/v1/admin/orders", tag=TAG, query=OrderSearch, response=OrderPage,
          summary="Find orders by status, restaurant, phone or code, newest first", roles=SUPPORT)
async def search_orders(call: Call) -> OrderPage:
    allow(call, "support", "admin")
    q: OrderSearch = call.query
    found = await support.find_orders(
        call.app[DATABASE], status=q.status, restaurant_id=q.restaurant_id, code=q.code,
        phone=to_e164(q.phone) if q.phone else None, limit=q.limit + 1, before_id=q.cursor,
    )
    return page_of(found, q.limit)


@endpoint("POST", "/api/v1/admin/orders/{code}/refund", tag=TAG, body=Refund, response=RefundOut, idempotent=True,
          summary="Give back part or all of what a paid order took, through its payment provider", roles=SUPPORT)
async def refund(call: Call) -> RefundOut:
    allow(call, "support", "admin")
    done = await support.refund(call.app[DATABASE], call.path["code"], call.body.amount_xaf, actor=actor(call),
                                reason=call.body.reason)
    call.app[WAKE].set()  # the payment worker sends it now
    return RefundOut(code=done.code, payment_reference=done.payment_reference, payment_status=done.payment_status,
                     paid_xaf=done.paid_xaf, refunded_xaf=done.refunded_xaf, refund_due_xaf=done.refund_due_xaf)


@endpoint("GET", "/api/v1/admin/audit", tag=TAG, query=AuditQuery, response=AuditPage,
          summary="The audit log: who changed what, why and when, newest first", roles=SUPPORT)
async def audit_log(call: Call) -> AuditPage:
    allow(call, "support", "admin")
    q: AuditQuery = call.query
    found = await support.audit_log(call.app[DATABASE], entity=q.entity.strip() if q.entity else None,
                                    ref=q.ref.strip() if q.ref else None, limit=q.limit + 1, before_id=q.cursor)
    page, after = cut(found, q.limit)
    items = [
        AuditOut(id=e.id, entity=e.entity, ref=e.ref, trigger=e.trigger, from_state=e.from_state, to_state=e.to_state,
                 actor=e.actor, reason=e.reason, data=e.data, at=e.at)
        for e in page
    ]
    return AuditPage(items=items, next=after)
