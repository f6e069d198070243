"""The app's cart: one per account, kept in the database so it follows the customer from phone to
tablet, priced from the menu as it is now, then checked out into an order.

A cart holds dishes of one restaurant. Every change is checked against the menu when it is made
(a dish that is not on it, a wrong option, a quantity out of range is a 400) and prices are worked
out again on every read, so a price change or a sold-out dish shows before checkout.
"""
from datetime import datetime

from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.ordering import Checkout, basket, origin_key, placed, refusal, requested_lines, terms
from channels.api.schemas import Id, LineIn, OrderOut, Shape
from channels.keys import DATABASE, DIALOGS
from core.catalog import Catalog
from core.errors import BadInput, ChopbarError
from core.orders import MAX_LINES, LineRequest
from core.pricing import price_line
from core.promotions import PromoRefused
from core.use_cases import carts
from core.use_cases.carts import CartView


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


def _priced(catalog: Catalog, cart: CartView) -> CartOut:
    if not cart.lines:
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


@endpoint("GET", "/api/v1/cart", tag="cart", response=CartOut, summary="My cart, priced from the menu as it is now",
          roles="any signed-in account: its own cart")
async def show(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    return _priced(catalog, await carts.cart_of(call.app[DATABASE], call.account_id))


@endpoint("PUT", "/api/v1/cart", tag="cart", body=CartIn, response=CartOut, summary="Replace my cart",
          roles="any signed-in account: its own cart")
async def replace(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    cart = await carts.replace(call.app[DATABASE], catalog, call.account_id, call.body.restaurant_id,
                               requested_lines(call.body.lines))
    return _priced(catalog, cart)


@endpoint("POST", "/api/v1/cart/lines", tag="cart", body=AddLine, response=CartOut, idempotent=True,
          summary="Add a dish to my cart (a retry with the same key adds it once)", roles="any signed-in account: its own cart")
async def add(call: Call) -> CartOut:
    catalog = await call.app[DIALOGS].catalog.get()
    body: AddLine = call.body
    line = LineRequest(body.item_id, body.quantity, tuple(body.option_ids))
    return _priced(catalog, await carts.add(call.app[DATABASE], catalog, call.account_id, body.restaurant_id, line))


@endpoint("DELETE", "/api/v1/cart", tag="cart", status=204, summary="Empty my cart",
          roles="any signed-in account: its own cart")
async def empty(call: Call) -> None:
    await carts.empty(call.app[DATABASE], call.account_id)


@endpoint("POST", "/api/v1/cart/checkout", tag="cart", body=Checkout, response=OrderOut, status=201, idempotent=True,
          summary="Order what is in my cart; the cart is emptied with the same change",
          roles="any signed-in account: its own cart")
async def checkout(call: Call) -> OrderOut:
    catalog = await call.app[DIALOGS].catalog.get()
    try:
        done = await carts.check_out(
            call.app[DATABASE], catalog, call.account_id,
            lambda restaurant_id, lines: basket(catalog, restaurant_id, lines, call.body),
            channel="app", terms=terms(call), origin_key=origin_key(call),
        )
    except PromoRefused as refused:
        raise await refusal(call, refused) from refused
    return placed(call, done)
