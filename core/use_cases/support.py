"""What support and admins do: restaurants found and their commission set, accounts and their roles,
orders found and refunded, the audit log read. Lists page by id, one extra row fetched."""
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core import accounts, audit, payments
from core.accounts import find_account
from core.db import Units
from core.errors import BadInput, NotFound
from core.models import Account, AuditEvent, Order, Restaurant
from core.order_views import OrderView, view_of
from core.pricing import COMMISSION_BPS, MAX_COMMISSION_PERCENT, commission_tier
from core.orders import order_by_code
from core.revocation import Revocation
from core.sealing import blind


@dataclass(frozen=True)
class RestaurantFacts:
    id: int
    slug: str
    name: str
    city: str
    quarter: str
    phone: str
    status: str
    paused: bool
    created_at: datetime
    commission_percent: int | None  # an admin's, instead of the tier's
    tier_percent: int  # what its tier takes now


@dataclass(frozen=True)
class AccountFacts:
    id: int
    phone: str
    name: str | None
    language: str
    created_at: datetime
    roles: tuple[tuple[str, int | None], ...]  # (role, restaurant id of an owner or staff)


@dataclass(frozen=True)
class Refunding:
    code: str
    payment_reference: str
    payment_status: str
    paid_xaf: int
    refunded_xaf: int
    refund_due_xaf: int
    wakes: tuple[str, ...] = ("payments",)  # the worker sends it now


@dataclass(frozen=True)
class AuditEntry:
    id: int
    entity: str
    ref: str
    trigger: str
    from_state: str | None
    to_state: str | None
    actor: str
    reason: str | None
    data: dict[str, Any]
    at: datetime


async def restaurants_in(units: Units, *, status: str | None, limit: int, after_id: int | None) -> list[RestaurantFacts]:
    """Restaurants (in one status, or all), oldest first, after the cursor."""
    query = select(Restaurant)
    if status:
        query = query.where(Restaurant.status == status)
    if after_id:
        query = query.where(Restaurant.id > after_id)
    async with units.unit() as unit:
        return [_restaurant(r) for r in await unit.session.scalars(query.order_by(Restaurant.id).limit(limit))]


async def restaurant_facts(units: Units, restaurant_id: int) -> RestaurantFacts:
    async with units.unit() as unit:
        restaurant = await unit.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        return _restaurant(restaurant)


async def set_commission(units: Units, restaurant_id: int, percent: int | None, *, actor: str) -> RestaurantFacts:
    """The commission the restaurant pays from now on instead of its tier's (None: the tier's again), audited."""
    if percent is not None and not 0 <= percent <= MAX_COMMISSION_PERCENT:
        raise BadInput(f"percent: from 0 to {MAX_COMMISSION_PERCENT}, or null for the tier's")
    async with units.unit() as unit:
        query = select(Restaurant).where(Restaurant.id == restaurant_id).with_for_update(of=Restaurant)
        restaurant = await unit.session.scalar(query)
        if restaurant is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        if restaurant.commission_percent != percent:
            audit.record(unit, "restaurant", str(restaurant.id), "commission_set", actor=actor,
                         data={"before": restaurant.commission_percent, "after": percent})
            restaurant.commission_percent = percent
        return _restaurant(restaurant)


async def account_by_phone(units: Units, phone: str) -> AccountFacts:
    async with units.unit() as unit:
        account = await find_account(unit, phone)
        if account is None:
            raise NotFound(f"no account for {phone}")
        return _account(account)


async def set_roles(
    units: Units, account_id: int, wanted: set[tuple[str, int | None]], *, by: int, actor: str,
    revoke: Callable[[Revocation], Awaitable[None]],
) -> AccountFacts:
    """An account's roles from now on; `revoke` stores the revocation of its tokens before the
    roles commit, so that if it cannot (503) the roles stay as they were, rather than changing
    while tokens with the old ones still pass."""
    async with units.unit() as unit:
        account = await unit.session.get(Account, account_id)
        if account is None:
            raise NotFound(f"no account {account_id}")
        await revoke(await accounts.set_roles(unit, account, wanted, by=by, actor=actor))
        return _account(account)


async def find_orders(
    units: Units, *, status: str | None, restaurant_id: int | None, code: str | None, phone: str | None,
    limit: int, before_id: int | None,
) -> list[OrderView]:
    """Orders by status, restaurant, code, or the customer's or payer's number, newest first."""
    query = select(Order)
    if status:
        query = query.where(Order.status == status)
    if restaurant_id:
        query = query.where(Order.restaurant_id == restaurant_id)
    if code:
        query = query.where(Order.code == code)
    if phone:
        customers = select(Account.id).where(Account.phone_key == blind(phone))
        query = query.where(Order.account_id.in_(customers) | (Order.payer_phone_key == blind(phone)))
    if before_id:
        query = query.where(Order.id < before_id)
    async with units.unit() as unit:
        return [view_of(o) for o in await unit.session.scalars(query.order_by(Order.id.desc()).limit(limit))]


async def refund(units: Units, code: str, amount_xaf: int | None, *, actor: str, reason: str) -> Refunding:
    """Part or all of what a paid order took, given back through its payment provider."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await payments.refund_part(unit, order, amount_xaf, actor=actor, reason=reason)
        return Refunding(order.code, payment.reference, payment.status, payment.amount_xaf, payment.refunded_xaf,
                         payment.refund_due_xaf)


async def audit_log(units: Units, *, entity: str | None, ref: str | None, limit: int, before_id: int | None) -> list[AuditEntry]:
    """Who changed what, why and when, newest first."""
    query = select(AuditEvent)
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if ref is not None:
        query = query.where(AuditEvent.entity_ref == ref)
    if before_id:
        query = query.where(AuditEvent.id < before_id)
    async with units.unit() as unit:
        rows = await unit.session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))
        return [AuditEntry(e.id, e.entity, e.entity_ref, e.trigger, e.from_state, e.to_state, e.actor, e.reason,
                           e.data or {}, e.at) for e in rows]


def _restaurant(r: Restaurant) -> RestaurantFacts:
    return RestaurantFacts(r.id, r.slug, r.name, r.city, r.quarter.name, r.phone, r.status, r.paused, r.created_at,
                           r.commission_percent, COMMISSION_BPS[commission_tier(r.completed_orders)] // 100)


def _account(a: Account) -> AccountFacts:
    return AccountFacts(a.id, a.phone, a.name, a.language, a.created_at, tuple((r.role, r.restaurant_id) for r in a.roles))
