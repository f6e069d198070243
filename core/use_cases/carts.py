"""The app's cart: one per account, kept in the database so it follows the customer from phone to
tablet, checked against the menu on every change, then checked out into an order."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from core.catalog import Catalog
from core.db import Unit, Units
from core.errors import BadInput, Conflict
from core.models import Cart, CartLine
from core.orders import LineRequest, price_basket
from core.use_cases.ordering import Basket, Orderer, Placed, Terms, place_in


@dataclass(frozen=True)
class CartView:
    restaurant_id: int | None
    lines: tuple[LineRequest, ...]
    updated_at: datetime | None


EMPTY = CartView(None, (), None)


async def cart_of(units: Units, account_id: int) -> CartView:
    async with units.unit() as unit:
        return _view(await _cart(unit, account_id))


async def replace(units: Units, catalog: Catalog, account_id: int, restaurant_id: int, lines: tuple[LineRequest, ...]) -> CartView:
    """The cart becomes these dishes, checked against the menu first (a 400 says what is wrong)."""
    _check(catalog, restaurant_id, lines)
    async with units.unit() as unit:
        cart = _store(unit, await _cart(unit, account_id), account_id, restaurant_id, lines)
        await unit.session.flush()
        return _view(cart)


async def add(units: Units, catalog: Catalog, account_id: int, restaurant_id: int, line: LineRequest) -> CartView:
    """One more dish, of the restaurant the cart already holds dishes of."""
    async with units.unit() as unit:
        cart = await _cart(unit, account_id)
        if cart is not None and cart.lines and cart.restaurant_id != restaurant_id:
            name = catalog.restaurants[cart.restaurant_id].name if cart.restaurant_id in catalog.restaurants else "another restaurant"
            raise Conflict(f"your cart holds dishes from {name}: order them or empty the cart first")
        lines = (*_view(cart).lines, line)
        _check(catalog, restaurant_id, lines)
        cart = _store(unit, cart, account_id, restaurant_id, lines)
        await unit.session.flush()
        return _view(cart)


async def empty(units: Units, account_id: int) -> None:
    async with units.unit() as unit:
        await _empty(unit, account_id)


async def check_out(
    units: Units, catalog: Catalog, account_id: int, basket_for: Callable[[int, tuple[LineRequest, ...]], Basket], *,
    channel: str, terms: Terms, origin_key: str,
) -> Placed:
    """Orders what is in the cart (`basket_for` adds where and how to pay) and empties it, in one change."""
    async with units.unit() as unit:
        cart = _view(await _cart(unit, account_id))
    if not cart.lines:
        raise BadInput("the cart is empty")
    basket = basket_for(cart.restaurant_id, cart.lines)
    async with units.unit() as unit:
        placed = await place_in(unit, catalog, basket, orderer=Orderer(account_id=account_id), channel=channel,
                                terms=terms, origin_key=origin_key, remember_address=False)
        await _empty(unit, account_id)
        return placed


def _check(catalog: Catalog, restaurant_id: int, lines: tuple[LineRequest, ...]) -> None:
    restaurant = catalog.restaurant(restaurant_id)
    items = {d.id: d for d in catalog.dishes(restaurant.id)}
    price_basket(restaurant, items, lines, None)  # raises BadInput with what is wrong


def _view(cart: Cart | None) -> CartView:
    if cart is None or not cart.lines:
        return EMPTY if cart is None else CartView(cart.restaurant_id, (), cart.updated_at)
    lines = tuple(LineRequest(l.item_id, l.quantity, tuple(l.option_ids)) for l in cart.lines)
    return CartView(cart.restaurant_id, lines, cart.updated_at)


async def _cart(unit: Unit, account_id: int) -> Cart | None:
    return await unit.session.scalar(select(Cart).where(Cart.account_id == account_id).order_by(Cart.id.desc()))


async def _empty(unit: Unit, account_id: int) -> None:
    await unit.session.execute(delete(Cart).where(Cart.account_id == account_id))


def _store(unit: Unit, cart: Cart | None, account_id: int, restaurant_id: int, lines: tuple[LineRequest, ...]) -> Cart:
    now = unit.now()
    if cart is None:
        cart = Cart(account_id=account_id, restaurant_id=restaurant_id, created_at=now, updated_at=now, lines=[])
        unit.session.add(cart)
    cart.restaurant_id, cart.updated_at = restaurant_id, now
    cart.lines = [CartLine(item_id=l.item_id, quantity=l.quantity, option_ids=list(l.option_ids)) for l in lines]
    return cart
