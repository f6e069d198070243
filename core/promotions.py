"""Promotions as pricing sees them: which offer holds now, what a promo code takes off a basket,
why a code is refused, and the use a placed order takes from its code (or gives back).

The rules, once: a discount is off the food (never more than the subtotal) or, for a
free-delivery code, the whole delivery fee. An order has one discount: a restaurant's offer
applies on its own in its window; a code the customer types replaces it only when it gives
more, and is refused otherwise. A code's `uses` is taken in the placing transaction by one
conditional UPDATE (`uses < total_limit`), so two orders racing for its last use get one
discount between them; an order that ends without food (cancelled, refused, expired, voided,
written off) gives its use back, and a refund after delivery does not.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from core.db import Unit
from core.errors import BadInput
from core.i18n import N_, translate
from core.models import Order, PromoCode, RestaurantOffer
from state_machines.order import OrderStatus

KINDS = ("percent", "fixed", "free_delivery")
OFFER_KINDS = ("percent", "fixed")
FUNDERS = ("restaurant", "platform")
# An order in one of these ended without food: it holds no use of its code.
ENDED_WITHOUT_FOOD = (OrderStatus.CANCELLED.value, OrderStatus.REJECTED.value, OrderStatus.EXPIRED.value)

# What a customer is told when a code does not apply, short enough for a USSD hint and an SMS.
REFUSALS = {
    "unknown": N_("This promo code does not exist."),
    "expired": N_("This promo code has expired."),
    "not_yet": N_("This promo code is not valid yet."),
    "not_here": N_("This promo code is not valid at this restaurant."),
    "delivery_only": N_("This promo code is for delivery orders only."),
    "minimum": N_("Your food is under this promo code's minimum."),
    "used_up": N_("This promo code has been fully used."),
    "first_order": N_("This promo code is for a first order only."),
    "customer_limit": N_("You have already used this promo code."),
    "offer_better": N_("Today's offer already gives you more than this code."),
}


class PromoRefused(BadInput):
    """A code that does not apply to this basket, for this customer, now."""

    code = "promo_refused"

    def __init__(self, reason: str, promo: str, *, minimum_xaf: int | None = None) -> None:
        super().__init__(f"promo code {promo}: {reason}")
        self.reason, self.promo, self.minimum_xaf = reason, promo, minimum_xaf

    def text(self, language: str) -> str:
        return translate(REFUSALS[self.reason], language)


@dataclass(frozen=True)
class Discount:
    """What comes off one order, where from, and who pays it."""

    amount_xaf: int
    funder: str  # restaurant or platform
    promo_code_id: int | None = None
    code: str | None = None  # the code as stored, when a code gave it
    offer_id: int | None = None
    free_delivery: bool = False


def normal_code(text: str) -> str:
    """A code as stored and compared: upper-case letters and digits only."""
    return "".join(c for c in (text or "").upper() if c.isascii() and c.isalnum())[:20]


def _off_food(kind: str, value: int, subtotal_xaf: int) -> int:
    if kind == "percent":
        return min(subtotal_xaf, (subtotal_xaf * value + 50) // 100)
    return min(subtotal_xaf, value)


def offer_holds(offer: RestaurantOffer, at: datetime, tz: str) -> bool:
    """The offer is on at this moment, local time: its day, its hours, its dates."""
    local = at.astimezone(ZoneInfo(tz))
    minute = local.hour * 60 + local.minute
    return (
        offer.active
        and str(local.isoweekday()) in offer.days
        and offer.starts_minute <= minute < offer.ends_minute
        and (offer.valid_from is None or offer.valid_from <= local.date())
        and (offer.valid_until is None or local.date() <= offer.valid_until)
    )


def offer_now(offers: Iterable[RestaurantOffer], at: datetime, tz: str) -> RestaurantOffer | None:
    """The restaurant's offer on now; of two at once, the first made."""
    on = [o for o in offers if offer_holds(o, at, tz)]
    return min(on, key=lambda o: o.id) if on else None


def offer_discount(offer: RestaurantOffer | None, subtotal_xaf: int) -> Discount | None:
    """What the offer takes off this food, or None when it does not apply (under its minimum)."""
    if offer is None or subtotal_xaf < offer.min_subtotal_xaf:
        return None
    amount = _off_food(offer.kind, offer.value, subtotal_xaf)
    return Discount(amount, "restaurant", offer_id=offer.id) if amount > 0 else None


@dataclass(frozen=True)
class History:
    """What a code's limits ask of the customer: orders holding food, and those holding this code."""

    orders: int = 0
    with_code: int = 0


async def history(unit: Unit, account_id: int | None, promo_code_id: int) -> History:
    if account_id is None:  # a number ordering for the first time
        return History()
    held = Order.status.not_in(ENDED_WITHOUT_FOOD)
    orders, with_code = (await unit.session.execute(
        select(func.count(), func.count().filter(Order.promo_code_id == promo_code_id))
        .where(Order.account_id == account_id, held)
    )).one()
    return History(int(orders), int(with_code))


def code_discount(
    promo: PromoCode, *, restaurant_id: int, subtotal_xaf: int, delivery_fee_xaf: int, pickup: bool,
    past: History, at: datetime, beside: Discount | None,
) -> Discount:
    """The discount the code gives this basket, or `PromoRefused` saying why it gives none."""
    code = promo.code
    if not promo.active or (promo.ends_at is not None and at >= promo.ends_at):
        raise PromoRefused("expired", code)
    if promo.starts_at is not None and at < promo.starts_at:
        raise PromoRefused("not_yet", code)
    if promo.restaurant_id is not None and promo.restaurant_id != restaurant_id:
        raise PromoRefused("not_here", code)
    if promo.kind == "free_delivery" and (pickup or delivery_fee_xaf <= 0):
        raise PromoRefused("delivery_only", code)
    if subtotal_xaf < promo.min_subtotal_xaf:
        raise PromoRefused("minimum", code, minimum_xaf=promo.min_subtotal_xaf)
    if promo.total_limit is not None and promo.uses >= promo.total_limit:
        raise PromoRefused("used_up", code)
    if promo.first_order_only and past.orders > 0:
        raise PromoRefused("first_order", code)
    if promo.per_customer_limit is not None and past.with_code >= promo.per_customer_limit:
        raise PromoRefused("customer_limit", code)
    if promo.kind == "free_delivery":
        amount, free = delivery_fee_xaf, True
    else:
        amount, free = _off_food(promo.kind, promo.value, subtotal_xaf), False
    if beside is not None and amount <= beside.amount_xaf:
        raise PromoRefused("offer_better", code)
    return Discount(amount, promo.funded_by, promo_code_id=promo.id, code=code, free_delivery=free)


async def find(unit: Unit, text: str) -> PromoCode:
    code = normal_code(text)
    promo = await unit.session.scalar(select(PromoCode).where(PromoCode.code == code)) if code else None
    if promo is None:
        raise PromoRefused("unknown", code or (text or "")[:20])
    return promo


async def offers_of(unit: Unit, restaurant_id: int) -> Sequence[RestaurantOffer]:
    return list(await unit.session.scalars(
        select(RestaurantOffer).where(RestaurantOffer.restaurant_id == restaurant_id, RestaurantOffer.active.is_(True))))


async def take_use(unit: Unit, promo_code_id: int) -> bool:
    """One more use of the code, only while it is under its total limit: the row's lock holds a
    racing order until this one commits, and then it finds none left."""
    taken = await unit.session.execute(
        update(PromoCode)
        .where(PromoCode.id == promo_code_id,
               (PromoCode.total_limit.is_(None)) | (PromoCode.uses < PromoCode.total_limit))
        .values(uses=PromoCode.uses + 1)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


async def give_back(unit: Unit, promo_code_id: int) -> None:
    await unit.session.execute(
        update(PromoCode).where(PromoCode.id == promo_code_id, PromoCode.uses > 0)
        .values(uses=PromoCode.uses - 1).execution_options(synchronize_session=False)
    )


async def order_ended(unit: Unit, order: Order) -> None:
    """An order that ended without food gives its code's use back (once: it ends once)."""
    if order.promo_code_id is not None and order.status in ENDED_WITHOUT_FOOD:
        await give_back(unit, order.promo_code_id)
