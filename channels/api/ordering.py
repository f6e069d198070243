"""Placing and changing orders from the apps: place, reorder, cancel; accept, reject, ready.

Placing and reordering need an `Idempotency-Key` (`channels.api.idempotency`); the key also
becomes the order's origin key, so even two racing retries place one order. Restaurants' owners
and staff accept, reject and mark ready their own restaurant's orders; a customer cancels theirs
before the restaurant accepts.
"""
from typing import Literal

from pydantic import Field
from sqlalchemy.orm import raiseload

from channels.api.endpoints import Call, endpoint
from channels.api.orders import visible_order
from channels.api.requests import restaurants_of
from channels.api.schemas import AddressIn, Id, LineIn, OrderOut, PaymentMethod, Phone, Reason, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS, WAKE
from core import order_changes
from core.catalog import Catalog
from core.errors import BadInput, Forbidden, NotFound
from core.models import Account, Order, Restaurant
from core.orders import MAX_LINES, Destination, LineRequest, Placement, lines_of, order_by_code, place_order
from core.payments import ensure_payment
from core.phones import to_e164


class Checkout(Shape):
    fulfilment: Literal["delivery", "pickup"] = "delivery"
    address: AddressIn | None = Field(None, description="where to deliver; required for a delivery")
    payment_method: PaymentMethod = "cash"
    payer_phone: Phone | None = Field(None, description="mobile money from another number than the account's")


class PlaceOrder(Checkout):
    restaurant_id: Id
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)


class Reorder(Shape):
    payment_method: PaymentMethod | None = Field(None, description="default: as the first time")


class Accept(Shape):
    minutes: int | None = Field(None, ge=1, le=240, description="ready in about this many minutes")


class Reject(Shape):
    reason: Reason


def destination(catalog: Catalog, restaurant: Restaurant, checkout: Checkout) -> Destination | None:
    """The address typed in the app, its quarter matched as the phone channels match it."""
    if checkout.fulfilment == "pickup":
        return None
    if checkout.address is None:
        raise BadInput("address: {quarter, landmark} for a delivery (or fulfilment: pickup)")
    typed = checkout.address.quarter[:80]
    found = catalog.gazetteer.match(typed, city=restaurant.city)
    quarter = catalog.quarter(catalog.quarter_ids[(found.city, found.name)]) if found and found.city == restaurant.city else None
    return Destination(
        city=restaurant.city, quarter_text=quarter.name if quarter else typed, landmark=checkout.address.landmark,
        quarter_id=quarter.id if quarter else None, lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None,
    )


def again(catalog: Catalog, order: Order) -> Destination | None:
    if order.fulfilment != "delivery":
        return None
    quarter = catalog.quarter(order.quarter_id) if order.quarter_id else None
    return Destination(
        city=order.city, quarter_text=order.quarter_text, landmark=order.landmark, directions=order.directions,
        quarter_id=order.quarter_id, lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None,
        address_id=order.address_id,
    )


async def place(call: Call, catalog: Catalog, restaurant_id: int, lines: list[LineRequest], method: str,
                where: Destination | None, payer: str | None, then=None) -> OrderOut:
    """Places one order for the caller, once per Idempotency-Key, and opens its payment."""
    settings = call.app[SETTINGS]
    key = call.request.headers["Idempotency-Key"].strip()
    async with call.app[DATABASE].unit() as unit:
        customer = await unit.session.get(Account, call.account_id, options=[raiseload(Account.roles)])
        if customer is None:
            raise NotFound("this account no longer exists")
        order = await place_order(
            unit,
            Placement(
                customer=customer, restaurant_id=restaurant_id, lines=lines, payment_method=method, channel="app",
                language=customer.language, destination=where, payer_phone=payer, origin_key=f"api:{customer.id}:{key}",
            ),
            tz=settings.timezone, catalog=catalog,
        )
        await ensure_payment(unit, order, window_s=settings.payment_window)
        if then is not None:  # e.g. the cart it came from is emptied in the same transaction
            await then(unit)
        answer = OrderOut.of(order)
    if method != "cash":
        call.app[WAKE].set()  # the payment worker asks the provider now
    return answer


def requested_lines(raw: list[LineIn]) -> list[LineRequest]:
    return [LineRequest(l.item_id, l.quantity, tuple(l.option_ids)) for l in raw]


def payer_number(raw: str | None) -> str | None:
    return to_e164(raw) if raw else None


@endpoint("POST", "/api/v1/orders", tag="orders", body=PlaceOrder, response=OrderOut, status=201, idempotent=True,
          summary="Place an order", roles="any signed-in account, for itself")
async def place_new(call: Call) -> OrderOut:
    body: PlaceOrder = call.body
    catalog = await call.app[DIALOGS].catalog.get()
    restaurant = catalog.restaurant(body.restaurant_id)
    return await place(call, catalog, restaurant.id, requested_lines(body.lines), body.payment_method, destination(catalog, restaurant, body),
                       payer_number(body.payer_phone))


@endpoint("POST", "/api/v1/orders/{code}/reorder", tag="orders", body=Reorder, response=OrderOut, status=201,
          idempotent=True, summary="Order a past order again: same dishes, same place", roles="the order's customer")
async def reorder(call: Call) -> OrderOut:
    past = await visible_order(call)
    if past.account_id != call.account_id:
        raise NotFound(f"no order {past.code}")
    catalog = await call.app[DIALOGS].catalog.get()
    method = call.body.payment_method or past.payment_method
    payer = past.payer_phone if method != "cash" and method == past.payment_method else None
    return await place(call, catalog, past.restaurant_id, lines_of(past), method, again(catalog, past), payer)


async def _by_restaurant(call: Call, change, **options) -> OrderOut:
    """The restaurant's owner or staff change one of its orders (a refusal writes nothing)."""
    async with call.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, call.path["code"])
        if order.restaurant_id not in restaurants_of(call.claims):
            raise Forbidden(f"order {order.code} is not for your restaurant")
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await change(unit, order, restaurant, actor=f"app:{call.claims['sub']}", **options)
        answer = OrderOut.of(order)
    call.app[WAKE].set()
    return answer


@endpoint("POST", "/api/v1/orders/{code}/accept", tag="restaurant", body=Accept, response=OrderOut,
          summary="Accept an order, saying when it will be ready", roles="the restaurant's owner and staff")
async def accept(call: Call) -> OrderOut:
    return await _by_restaurant(call, order_changes.accept, minutes=call.body.minutes)


@endpoint("POST", "/api/v1/orders/{code}/reject", tag="restaurant", body=Reject, response=OrderOut,
          summary="Refuse an order; the customer is told and refunded", roles="the restaurant's owner and staff")
async def reject(call: Call) -> OrderOut:
    return await _by_restaurant(call, order_changes.reject, reason=call.body.reason)


@endpoint("POST", "/api/v1/orders/{code}/ready", tag="restaurant", response=OrderOut,
          summary="The food is ready for the driver or the customer", roles="the restaurant's owner and staff")
async def ready(call: Call) -> OrderOut:
    return await _by_restaurant(call, order_changes.mark_ready)


@endpoint("POST", "/api/v1/orders/{code}/cancel", tag="orders", response=OrderOut,
          summary="Cancel my order before the restaurant accepts it", roles="the order's customer")
async def cancel(call: Call) -> OrderOut:
    async with call.app[DATABASE].unit() as unit:
        order = await order_by_code(unit, call.path["code"])
        if order.account_id != call.account_id:
            raise NotFound(f"no order {order.code}")
        customer = await unit.session.get(Account, order.account_id)
        await order_changes.cancel_by_customer(unit, order, customer, reason="cancelled in the app")
        answer = OrderOut.of(order)
    return answer

