"""Placing and changing orders from the apps: place, reorder, cancel; accept, reject, ready, collected.

A promo code rides along in the checkout (`promo_code`); `POST /orders/quote` prices a basket as
placing it would, so the app shows the new total or the refusal (in the account's language) first.
Placing and reordering need an `Idempotency-Key` (`channels.api.idempotency`); the key also
becomes the order's origin key, so even two racing retries place one order. Restaurants' owners
and staff accept, reject and mark ready their own restaurant's orders; a customer cancels theirs
before the restaurant accepts.
"""
from dataclasses import replace
from typing import Literal

from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.requests import restaurants_of
from channels.api.schemas import AddressIn, Id, LineIn, OrderOut, PaymentMethod, Phone, Reason, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS, WAKE
from core import destinations
from core.catalog import Catalog
from core.errors import BadInput, IllegalTransition
from core.orders import MAX_LINES, Destination, LineRequest, Quote
from core.phones import to_e164
from core.promotions import PromoRefused
from core.use_cases import customers, kitchen, loyalty, ordering


class Checkout(Shape):
    fulfilment: Literal["delivery", "pickup"] = "delivery"
    address: AddressIn | None = Field(None, description="where to deliver; required for a delivery")
    payment_method: PaymentMethod = "cash"
    payer_phone: Phone | None = Field(None, description="mobile money from another number than the account's")
    promo_code: str | None = Field(None, max_length=40, description="a promo code as the customer typed it")
    points: int = Field(0, ge=0, le=10_000_000, description="loyalty points to spend on the food (0: none); at most "
                        "what the food can take is used, and never fewer than the least one may spend")


class PlaceOrder(Checkout):
    restaurant_id: Id
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)


class QuoteOut(Shape):
    subtotal_xaf: int
    delivery_fee_xaf: int
    discount_xaf: int = Field(description="the offer's or the promo code's, taken off the total")
    discount_from: Literal["offer", "promo_code"] | None
    promo_code: str | None = Field(description="the code as stored, when it applies")
    discount_funded_by: Literal["restaurant", "platform"] | None
    points_spent: int = Field(description="loyalty points this basket would spend")
    points_xaf: int = Field(description="what they take off the food")
    total_xaf: int
    points_held: int = Field(description="my balance now")
    points_usable: int = Field(description="the most points this basket could take now (0: fewer than the least one may spend)")

    @classmethod
    def of(cls, quote: Quote, offered: loyalty.Offer) -> "QuoteOut":
        d = quote.discount
        return cls(subtotal_xaf=quote.subtotal_xaf, delivery_fee_xaf=quote.delivery_fee_xaf, discount_xaf=quote.discount_xaf,
                   discount_from=None if d is None else ("promo_code" if d.code else "offer"),
                   promo_code=d.code if d else None, discount_funded_by=d.funder if d else None,
                   points_spent=quote.points_spent, points_xaf=quote.points_xaf, total_xaf=quote.total_xaf,
                   points_held=offered.held, points_usable=offered.points)


class PromoCodeRefused(BadInput):
    """A promo code that does not apply, said in the account's language."""

    code = "promo_refused"


async def refusal(call: Call, refused: PromoRefused) -> PromoCodeRefused:
    language = await customers.language_of(call.app[DATABASE], call.account_id)
    return PromoCodeRefused(refused.text(language))


class Reorder(Shape):
    payment_method: PaymentMethod | None = Field(None, description="default: as the first time")


class Accept(Shape):
    minutes: int | None = Field(None, ge=1, le=240, description="ready in about this many minutes")


class Reject(Shape):
    reason: Reason


def destination(catalog: Catalog, restaurant_id: int, checkout: Checkout) -> Destination | None:
    """The address typed in the app, its quarter matched as the phone channels match it."""
    if checkout.fulfilment == "pickup":
        return None
    if checkout.address is None:
        raise BadInput("address: {quarter, landmark} for a delivery (or fulfilment: pickup)")
    city = catalog.restaurant(restaurant_id).city
    return destinations.typed(catalog, city, checkout.address.quarter, checkout.address.landmark)


def basket(catalog: Catalog, restaurant_id: int, lines: tuple[LineRequest, ...], checkout: Checkout) -> ordering.Basket:
    return ordering.Basket(
        restaurant_id=restaurant_id, lines=lines, destination=destination(catalog, restaurant_id, checkout),
        payment_method=checkout.payment_method, payer_phone=payer_number(checkout.payer_phone),
        promo_code=checkout.promo_code or None, points=checkout.points,
    )


def terms(call: Call) -> ordering.Terms:
    settings = call.app[SETTINGS]
    return ordering.Terms(tz=settings.timezone, payment_window_s=settings.payment_window)


def origin_key(call: Call) -> str:
    """The Idempotency-Key as the order's origin key, so even two racing retries place one order."""
    return f"api:{call.account_id}:{call.request.headers['Idempotency-Key'].strip()}"


def placed(call: Call, done: ordering.Placed) -> OrderOut:
    if done.wakes:
        call.app[WAKE].set()  # the payment worker asks the provider now
    return OrderOut.of(done.order)


def requested_lines(raw: list[LineIn]) -> tuple[LineRequest, ...]:
    return tuple(LineRequest(l.item_id, l.quantity, tuple(l.option_ids)) for l in raw)


def payer_number(raw: str | None) -> str | None:
    return to_e164(raw) if raw else None


@endpoint("POST", "/api/v1/orders", tag="orders", body=PlaceOrder, response=OrderOut, status=201, idempotent=True,
          summary="Place an order", roles="any signed-in account, for itself")
async def place_new(call: Call) -> OrderOut:
    body: PlaceOrder = call.body
    catalog = await call.app[DIALOGS].catalog.get()
    try:
        done = await ordering.place(
            call.app[DATABASE], catalog, basket(catalog, body.restaurant_id, requested_lines(body.lines), body),
            orderer=ordering.Orderer(account_id=call.account_id), channel="app", terms=terms(call),
            origin_key=origin_key(call), remember_address=False,
        )
    except PromoRefused as refused:
        raise await refusal(call, refused) from refused
    return placed(call, done)


@endpoint("POST", "/api/v1/orders/quote", tag="orders", body=PlaceOrder, response=QuoteOut,
          summary="Price a basket as placing it would now: the restaurant's offer, or the promo code checked "
                  "against every limit (400 promo_refused says why it does not apply), then the points to spend",
          roles="any signed-in account, for itself")
async def quote(call: Call) -> QuoteOut:
    body: PlaceOrder = call.body
    catalog = await call.app[DIALOGS].catalog.get()
    try:
        priced = await ordering.priced(call.app[DATABASE], catalog,
                                       basket(catalog, body.restaurant_id, requested_lines(body.lines), body),
                                       account_id=call.account_id, tz=call.app[SETTINGS].timezone)
    except PromoRefused as refused:
        raise await refusal(call, refused) from refused
    offered = await loyalty.offer(call.app[DATABASE], call.account_id, replace(priced, points_spent=0, points_xaf=0))
    return QuoteOut.of(priced, offered)


@endpoint("POST", "/api/v1/orders/{code}/reorder", tag="orders", body=Reorder, response=OrderOut, status=201,
          idempotent=True, summary="Order a past order again: same dishes, same place", roles="the order's customer")
async def reorder(call: Call) -> OrderOut:
    catalog = await call.app[DIALOGS].catalog.get()
    done = await ordering.reorder(
        call.app[DATABASE], catalog, call.path["code"], account_id=call.account_id, channel="app", terms=terms(call),
        payment_method=call.body.payment_method, origin_key=origin_key(call),
    )
    return placed(call, done)


def _staff(call: Call) -> kitchen.Staff:
    return kitchen.Staff(restaurant_ids=restaurants_of(call.claims), actor=f"app:{call.claims['sub']}")


def _answered(call: Call, order) -> OrderOut:
    call.app[WAKE].set()
    return OrderOut.of(order)


@endpoint("POST", "/api/v1/orders/{code}/accept", tag="restaurant", body=Accept, response=OrderOut,
          summary="Accept an order, saying when it will be ready", roles="the restaurant's owner and staff")
async def accept(call: Call) -> OrderOut:
    return _answered(call, await kitchen.accept(call.app[DATABASE], call.path["code"], by=_staff(call), minutes=call.body.minutes))


@endpoint("POST", "/api/v1/orders/{code}/reject", tag="restaurant", body=Reject, response=OrderOut,
          summary="Refuse an order; the customer is told and refunded", roles="the restaurant's owner and staff")
async def reject(call: Call) -> OrderOut:
    return _answered(call, await kitchen.reject(call.app[DATABASE], call.path["code"], by=_staff(call), reason=call.body.reason))


@endpoint("POST", "/api/v1/orders/{code}/ready", tag="restaurant", response=OrderOut,
          summary="The food is ready for the driver or the customer", roles="the restaurant's owner and staff")
async def ready(call: Call) -> OrderOut:
    return _answered(call, await kitchen.mark_ready(call.app[DATABASE], call.path["code"], by=_staff(call)))


@endpoint("POST", "/api/v1/orders/{code}/collected", tag="restaurant", response=OrderOut,
          summary="The customer took a pickup order: cash at the counter recorded, the restaurant's share released; "
                  "again changes nothing", roles="the restaurant's owner, managers and staff")
async def collected(call: Call) -> OrderOut:
    done = await kitchen.collect(call.app[DATABASE], call.path["code"], by=_staff(call))
    return OrderOut.of(done.order)


@endpoint("POST", "/api/v1/orders/{code}/cancel", tag="orders", response=OrderOut,
          summary="Cancel my order before the restaurant accepts it", roles="the order's customer")
async def cancel(call: Call) -> OrderOut:
    done = await ordering.cancel(call.app[DATABASE], call.path["code"], account_id=call.account_id,
                                 reason="cancelled in the app")
    if done.already or not done.done:  # the app hears a refusal, not a second cancellation
        raise IllegalTransition("order", done.order.code, done.order.status, "cancel")
    return OrderOut.of(done.order)
