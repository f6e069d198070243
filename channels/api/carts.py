"""The app's cart: one per account, kept in the database so it follows the customer from phone to
tablet, priced from the menu as it is now, then checked out into an order.

A cart holds dishes of one restaurant. Every change is checked against the menu when it is made
(a dish that is not on it, a wrong option, a quantity out of range is a 400) and prices are worked
out again on every read, so a price change or a sold-out dish shows before checkout.
"""
from datetime import datetime

from pydantic import Field
from sqlalchemy import delete, select

from channels.api.endpoints import Call, endpoint
from channels.api.ordering import Checkout, destination, payer_number, place, requested_lines
from channels.api.schemas import Id, LineIn, OrderOut, Shape
from channels.keys import DATABASE, DIALOGS
from core.catalog import Catalog
from core.db import Unit
from core.errors import BadInput, ChopbarError, Conflict
from core.models import Cart, CartLine
from core.orders import MAX_LINES, LineRequest, price_basket
from core.pricing import price_line


class CartIn(Shape):
    restaurant_id: Id
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)


class AddLine(LineIn):
    restaurant_id: Id


class CartLineOut(Shape):
    item_id: int
    quantity: int
    option_ids: list[int]
    name_en: str
    name_fr: str
    unit_price_xaf: int | None = Field(description="null when the dish can no longer be ordered as it is")
    problem: str | None = Field(description="why this line cannot be ordered now, if it cannot")


class CartOut(Shape):
    restaurant_id: int | None
    lines: list[CartLineOut]
    subtotal_xaf: int = Field(description="of the lines that can be ordered")
    ready: bool = Field(description="true when every line can be ordered now")
    updated_at: datetime | None


def _check(catalog: Catalog, restaurant_id: int, lines: list[LineRequest]) -> None:
    restaurant = catalog.restaurant(restaurant_id)
    items = {d.id: d for d in catalog.dishes(restaurant.id)}
    price_basket(restaurant, items, lines, None)  # raises BadInput with what is wrong


def _priced(catalog: Catalog, cart: Cart | None) -> CartOut:
    if cart is None or not cart.lines:
        return CartOut(restaurant_id=None, lines=[], subtotal_xaf=0, ready=False, updated_at=None)
    lines, subtotal = [], 0
    for line in cart.lines:
        item = catalog.items.get(line.item_id)
        price, problem = None, None
        try:
            if item is None or item.restaurant_id != cart.restaurant_id:
                raise BadInput("no longer on the menu")
            price = price_line(item, line.option_ids, line.quantity).unit_price_xaf
            subtotal += price * line.quantity
        except ChopbarError as exc:
            problem = str(exc)
        lines.append(CartLineOut(
            item_id=line.item_id, quantity=line.quantity, option_ids=list(line.option_ids),
            name_en=item.name_en if item else "", name_fr=item.name_fr if item else "", unit_price_xaf=price, problem=problem,
        ))
    return CartOut(restaurant_id=cart.restaurant_id, lines=lines, subtotal_xaf=subtotal,
                   ready=all(l.problem is None for l in lines), updated_at=cart.updated_at)


def _requests(cart: Cart | None) -> list[LineRequest]:
    return [LineRequest(l.item_id, l.quantity, tuple(l.option_ids)) for l in cart.lines] if cart else []


async def _cart(unit: Unit, account_id: int) -> Cart | None:
    return await unit.session.scalar(select(Cart).where(Cart.account_id == account_id).order_by(Cart.id.desc()))


async def _empty(unit: Unit, account_id: int) -> None:
    await unit.session.execute(delete(Cart).where(Cart.account_id == account_id))


def _store(unit: Unit, cart: Cart | None, account_id: int, restaurant_id: int, lines: list[LineRequest]) -> Cart:
    now = unit.now()
    if cart is None:
        cart = Cart(account_id=account_id, restaurant_id=restaurant_id, created_at=now, updated_at=now, lines=[])
        unit.session.add(cart)
    cart.restaurant_id, cart.updated_at = restaurant_id, now
    cart.lines = [CartLine(item_id=l.item_id, quantity=l.quantity, option_ids=list(l.option_ids)) for l in lines]
    return cart


@endpoint("GET", "/api/v1/cart", tag="cart", response=CartOut, summary="My cart, priced from the menu as it is now",
          roles="any signed-in account: its own cart")
async def show(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    async with call.app[DATABASE].unit() as unit:
        return _priced(catalog, await _cart(unit, call.account_id))


@endpoint("PUT", "/api/v1/cart", tag="cart", body=CartIn, response=CartOut, summary="Replace my cart",
          roles="any signed-in account: its own cart")
async def replace(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    lines = requested_lines(call.body.lines)
    _check(catalog, call.body.restaurant_id, lines)
    async with call.app[DATABASE].unit() as unit:
        cart = _store(unit, await _cart(unit, call.account_id), call.account_id, call.body.restaurant_id, lines)
        await unit.session.flush()
        return _priced(catalog, cart)


@endpoint("POST", "/api/v1/cart/lines", tag="cart", body=AddLine, response=CartOut, idempotent=True,
          summary="Add a dish to my cart (a retry with the same key adds it once)", roles="any signed-in account: its own cart")
async def add(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    body: AddLine = call.body
    async with call.app[DATABASE].unit() as unit:
        cart = await _cart(unit, call.account_id)
        if cart is not None and cart.lines and cart.restaurant_id != body.restaurant_id:
            name = catalog.restaurants[cart.restaurant_id].name if cart.restaurant_id in catalog.restaurants else "another restaurant"
            raise Conflict(f"your cart holds dishes from {name}: order them or empty the cart first")
        lines = [*_requests(cart), LineRequest(body.item_id, body.quantity, tuple(body.option_ids))]
        _check(catalog, body.restaurant_id, lines)
        cart = _store(unit, cart, call.account_id, body.restaurant_id, lines)
        await unit.session.flush()
        return _priced(catalog, cart)


@endpoint("DELETE", "/api/v1/cart", tag="cart", status=204, summary="Empty my cart",
          roles="any signed-in account: its own cart")
async def empty(call: Call) -> None:
    async with call.app[DATABASE].unit() as unit:
        await _empty(unit, call.account_id)


@endpoint("POST", "/api/v1/cart/checkout", tag="cart", body=Checkout, response=OrderOut, status=201, idempotent=True,
          summary="Order what is in my cart; the cart is emptied with the same change",
          roles="any signed-in account: its own cart")
async def checkout(call: Call) -> OrderOut:
    catalog = await call.app[DIALOGS].catalog.get()
    async with call.app[DATABASE].unit() as unit:
        cart = await _cart(unit, call.account_id)
        if cart is None or not cart.lines:
            raise BadInput("the cart is empty")
        restaurant_id = cart.restaurant_id
        lines = _requests(cart)
    restaurant = catalog.restaurant(restaurant_id)
    body: Checkout = call.body

    async def emptied(unit: Unit) -> None:
        await _empty(unit, call.account_id)

    return await place(call, catalog, restaurant.id, lines, body.payment_method, destination(catalog, restaurant, body),
                       payer_number(body.payer_phone), then=emptied)
