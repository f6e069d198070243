"""A restaurant's promo codes and offers, and the platform's codes: listed, made, changed, ended.

A restaurant's people (by `core.restaurant_roles.PROMOS`) make codes for their own restaurant,
paid by it, and its offers; an admin makes any code, for one restaurant or all, paid by the
restaurant or by the platform. Ending a code or an offer keeps its row: past orders name it.
Customers use codes through `core.use_cases.ordering` (`priced`, `place`).
"""
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select

from core import audit, promotions as P
from core.catalog import restaurant as get_restaurant
from core.db import Unit, Units
from core.errors import BadInput, Conflict, Forbidden, NotFound
from core.models import PromoCode, RestaurantOffer

MAX_VALUE_XAF = 1_000_000
MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class Scope:
    """Who acts: an admin (any restaurant, any funder), or a restaurant's person for it alone."""

    actor: str
    restaurant_id: int | None = None  # None: an admin
    admin: bool = False


@dataclass(frozen=True)
class CodeTerms:
    code: str
    kind: str
    value: int = 0
    restaurant_id: int | None = None
    min_subtotal_xaf: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    first_order_only: bool = False
    per_customer_limit: int | None = 1
    total_limit: int | None = None
    funded_by: str = "restaurant"


@dataclass(frozen=True)
class CodeView:
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
    uses: int
    funded_by: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class OfferTerms:
    kind: str
    value: int
    starts_minute: int
    ends_minute: int
    days: str = "1234567"
    valid_from: date | None = None
    valid_until: date | None = None
    min_subtotal_xaf: int = 0


@dataclass(frozen=True)
class OfferView:
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


def _view(kind, row):
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})


def check_value(kind: str, value: int, kinds: tuple[str, ...]) -> None:
    if kind not in kinds:
        raise BadInput(f"kind must be one of {', '.join(kinds)}")
    if kind == "percent" and not 1 <= value <= 100:
        raise BadInput("a percentage is 1 to 100")
    if kind == "fixed" and not 1 <= value <= MAX_VALUE_XAF:
        raise BadInput(f"an amount off is 1 to {MAX_VALUE_XAF} XAF")


def check_code(terms: CodeTerms) -> str:
    """The code as stored, once its terms hold together."""
    code = P.normal_code(terms.code)
    if not 3 <= len(code) <= 20 or code != terms.code.strip().upper():
        raise BadInput("a code is 3 to 20 letters and digits")
    check_value(terms.kind, terms.value, P.KINDS)
    if terms.funded_by not in P.FUNDERS:
        raise BadInput(f"funded_by must be one of {', '.join(P.FUNDERS)}")
    if terms.funded_by == "restaurant" and terms.restaurant_id is None:
        raise BadInput("a code for every restaurant is paid by the platform")
    if terms.starts_at and terms.ends_at and terms.ends_at <= terms.starts_at:
        raise BadInput("ends_at must come after starts_at")
    for name in ("per_customer_limit", "total_limit"):
        if getattr(terms, name) is not None and getattr(terms, name) < 1:
            raise BadInput(f"{name} is at least 1 (or null: no limit)")
    if not 0 <= terms.min_subtotal_xaf <= MAX_VALUE_XAF:
        raise BadInput("min_subtotal_xaf is 0 or more")
    return code


def check_offer(terms: OfferTerms) -> None:
    check_value(terms.kind, terms.value, P.OFFER_KINDS)
    if not terms.days or any(d not in "1234567" for d in terms.days) or len(set(terms.days)) != len(terms.days):
        raise BadInput("days are ISO weekdays, e.g. 12345 for Monday to Friday")
    if not 0 <= terms.starts_minute < terms.ends_minute <= MINUTES_A_DAY:
        raise BadInput("the window is a start before its end, within one day")
    if terms.valid_from and terms.valid_until and terms.valid_until < terms.valid_from:
        raise BadInput("valid_until must not come before valid_from")
    if not 0 <= terms.min_subtotal_xaf <= MAX_VALUE_XAF:
        raise BadInput("min_subtotal_xaf is 0 or more")


def _allowed(scope: Scope, restaurant_id: int | None) -> None:
    if not scope.admin and (restaurant_id is None or restaurant_id != scope.restaurant_id):
        raise Forbidden("a restaurant manages its own promotions only")


async def codes(units: Units, scope: Scope, restaurant_id: int | None = None) -> list[CodeView]:
    """A restaurant's codes (an admin: any restaurant's, or every code when none is named)."""
    _allowed(scope, restaurant_id)
    async with units.unit() as unit:
        query = select(PromoCode).order_by(PromoCode.id.desc())
        if restaurant_id is not None:
            query = query.where(PromoCode.restaurant_id == restaurant_id)
        return [_view(CodeView, c) for c in await unit.session.scalars(query.limit(500))]


async def create_code(units: Units, scope: Scope, terms: CodeTerms) -> CodeView:
    _allowed(scope, terms.restaurant_id)
    if not scope.admin and terms.funded_by != "restaurant":
        raise Forbidden("only an admin makes codes the platform pays")
    code = check_code(terms)
    async with units.unit() as unit:
        if terms.restaurant_id is not None:
            await get_restaurant(unit, terms.restaurant_id)
        if await unit.session.scalar(select(PromoCode.id).where(PromoCode.code == code)) is not None:
            raise Conflict(f"the code {code} is taken")
        row = PromoCode(**{**terms.__dict__, "code": code}, uses=0, active=True, created_by=scope.actor[:40],
                        created_at=unit.now())
        unit.session.add(row)
        await unit.session.flush()
        audit.record(unit, "promo_code", code, "create", actor=scope.actor,
                     data={"kind": row.kind, "value": row.value, "funded_by": row.funded_by})
        return _view(CodeView, row)


CODE_CHANGES = ("active", "ends_at", "total_limit", "per_customer_limit", "min_subtotal_xaf")


async def change_code(units: Units, scope: Scope, code_id: int, changes: dict) -> CodeView:
    """Ends (active false), extends or limits a code; its kind, value and funder stay as customers saw them."""
    async with units.unit() as unit:
        row = await _code(unit, scope, code_id)
        unknown = set(changes) - set(CODE_CHANGES)
        if unknown:
            raise BadInput(f"only {', '.join(CODE_CHANGES)} change")
        terms = CodeTerms(**{**{f.name: getattr(row, f.name) for f in fields(CodeTerms)},
                             **{k: v for k, v in changes.items() if k != "active"}})
        check_code(terms)
        for name, value in changes.items():
            setattr(row, name, value)
        audit.record(unit, "promo_code", row.code, "change", actor=scope.actor,
                     data={k: str(v) for k, v in changes.items()})
        await unit.session.flush()
        return _view(CodeView, row)


async def _code(unit: Unit, scope: Scope, code_id: int) -> PromoCode:
    row = await unit.session.get(PromoCode, code_id)
    if row is None or (not scope.admin and row.restaurant_id != scope.restaurant_id):
        raise NotFound(f"no promo code {code_id}")  # another restaurant's codes are not this one's business
    return row


async def offers(units: Units, scope: Scope, restaurant_id: int) -> list[OfferView]:
    _allowed(scope, restaurant_id)
    async with units.unit() as unit:
        rows = await unit.session.scalars(
            select(RestaurantOffer).where(RestaurantOffer.restaurant_id == restaurant_id).order_by(RestaurantOffer.id.desc()))
        return [_view(OfferView, o) for o in rows]


async def create_offer(units: Units, scope: Scope, restaurant_id: int, terms: OfferTerms) -> OfferView:
    """A new offer, shown on the restaurant's menu screen and taken off its baskets in its window."""
    _allowed(scope, restaurant_id)
    check_offer(terms)
    async with units.unit() as unit:
        await get_restaurant(unit, restaurant_id)
        row = RestaurantOffer(restaurant_id=restaurant_id, **terms.__dict__, active=True, created_at=unit.now())
        unit.session.add(row)
        await unit.session.flush()
        audit.record(unit, "offer", str(row.id), "create", actor=scope.actor,
                     data={"kind": row.kind, "value": row.value, "restaurant_id": restaurant_id})
        return _view(OfferView, row)


async def end_offer(units: Units, scope: Scope, restaurant_id: int, offer_id: int) -> OfferView:
    """The offer stops at once (its row stays: orders name it)."""
    _allowed(scope, restaurant_id)
    async with units.unit() as unit:
        row = await unit.session.get(RestaurantOffer, offer_id)
        if row is None or row.restaurant_id != restaurant_id:
            raise NotFound(f"no offer {offer_id}")
        if row.active:
            row.active = False
            audit.record(unit, "offer", str(row.id), "end", actor=scope.actor)
        await unit.session.flush()
        return _view(OfferView, row)
