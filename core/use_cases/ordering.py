"""A customer's orders: pricing a basket (its offer and promo code), placing it, cancelling it,
ordering a past one again."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import raiseload

from core import destinations, loyalty, order_changes, payment_retry, payments, usual as usual_rule
from core.accounts import open_customer
from core.catalog import Catalog
from core.db import Unit, Units
from core.errors import Forbidden, NotFound
from core.models import Account, Order
from core.notices import cancelled_by_you
from core.order_views import OrderView, view_of
from core.orders import (
    Customer, Destination, LineRequest, Placement, Quote, customer_orders, lines_of, order_by_code, price_basket,
    with_offer, with_promotions,
)
from core.placing import place_order
from state_machines.order import OrderStatus, can_be_cancelled_by_customer


@dataclass(frozen=True)
class Basket:
    """What a customer chose, on whatever channel: dishes of one restaurant, where, how to pay."""

    restaurant_id: int
    lines: tuple[LineRequest, ...]
    destination: Destination | None = None  # None: the customer collects it
    payment_method: str = "cash"
    payer_phone: str | None = None  # mobile money from another number than the customer's
    promo_code: str | None = None  # as typed; checked when priced with `priced` and again when placed
    points: int = 0  # loyalty points to spend on the food (placing checks and takes them)


@dataclass(frozen=True)
class Orderer:
    """Who orders: an account (by id), a number (an account is opened for it on its first order),
    or both when the channel knows both; `language` is the account's unless the channel says."""

    account_id: int | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Terms:
    """The service's rules an order is placed under."""

    tz: str
    payment_window_s: int = 300
    default_language: str = "fr"


@dataclass(frozen=True)
class Placed:
    order: OrderView
    account_id: int
    wakes: tuple[str, ...]  # what the worker should do once this is committed ("payments": ask the provider)


@dataclass(frozen=True)
class History:
    """What a session starts with: the customer's last order, until when its second chance
    to pay stands, if one does, and their usual basket (`core.usual`), if they have one."""

    last: OrderView | None
    retry_until: datetime | None
    usual: usual_rule.Usual | None = None


@dataclass(frozen=True)
class Cancelled:
    order: OrderView
    done: bool  # False: too late, the restaurant has it (the order says where it is)
    already: bool  # it was cancelled before this call
    notice: str  # what the customer reads ("" when not cancelled, or asked with no language)
    restaurant_told: bool


def price(catalog: Catalog, basket: Basket, *, at: datetime | None = None, tz: str | None = None) -> Quote:
    """The basket priced from the catalog snapshot, to show before confirming (placing prices it
    again); given the moment and the time zone, less the restaurant's offer of that moment."""
    quote = price_basket(catalog.restaurant(basket.restaurant_id), catalog.items, basket.lines, basket.destination)
    if at is None or tz is None:
        return quote
    return with_offer(quote, catalog.offers(basket.restaurant_id), at, tz)


async def priced(units: Units, catalog: Catalog, basket: Basket, *, account_id: int | None, tz: str) -> Quote:
    """The basket as placing it would charge it now: the offer of the moment, or its promo code
    checked against every limit (`core.promotions.PromoRefused` says why a code does not apply),
    then the points it asks to spend checked against the balance (nothing is taken: placing takes them)."""
    async with units.unit() as unit:
        quote = price_basket(catalog.restaurant(basket.restaurant_id), catalog.items, basket.lines, basket.destination)
        quote = await with_promotions(unit, quote, catalog.offers(basket.restaurant_id), promo_code=basket.promo_code,
                                      account_id=account_id, at=unit.now(), tz=tz)
        if not basket.points:
            return quote
        held = await loyalty.balance(unit, account_id) if account_id is not None else 0
        return loyalty.checked(quote, basket.points, held, loyalty.rules())


async def place(
    units: Units, catalog: Catalog, basket: Basket, *, orderer: Orderer, channel: str, terms: Terms,
    origin_key: str | None = None, remember_address: bool = True,
) -> Placed:
    """Places the basket as an order with its payment; the same origin key places it once."""
    async with units.unit() as unit:
        return await place_in(unit, catalog, basket, orderer=orderer, channel=channel, terms=terms,
                              origin_key=origin_key, remember_address=remember_address)


async def place_in(
    unit: Unit, catalog: Catalog, basket: Basket, *, orderer: Orderer, channel: str, terms: Terms,
    origin_key: str | None = None, remember_address: bool = True,
) -> Placed:
    """`place`, inside a unit of work another use case holds (a cart checked out with it)."""
    customer, language = await _customer(unit, orderer, terms)
    order = await place_order(
        unit,
        Placement(
            customer=customer, restaurant_id=basket.restaurant_id, lines=basket.lines,
            payment_method=basket.payment_method, channel=channel, language=language, destination=basket.destination,
            payer_phone=basket.payer_phone, origin_key=origin_key, remember_address=remember_address,
            promo_code=basket.promo_code,
            points=basket.points,
        ),
        tz=terms.tz, catalog=catalog, payment_window_s=terms.payment_window_s,
    )
    return Placed(order, customer.id, wakes=() if order.payment_method == "cash" else ("payments",))


async def _customer(unit: Unit, orderer: Orderer, terms: Terms) -> tuple[Customer, str]:
    """The account an order is for: no read when the channel knows its id, number and language,
    one statement for a number the channel did not know."""
    if orderer.account_id is not None and orderer.phone is not None and orderer.language is not None:
        return Customer(orderer.account_id, orderer.phone), orderer.language
    if orderer.account_id is None:
        language = orderer.language or terms.default_language
        return Customer(await open_customer(unit, orderer.phone, language=language), orderer.phone), language
    account = await unit.session.get(Account, orderer.account_id, options=[raiseload(Account.roles)])
    if account is None:
        raise NotFound("this account no longer exists")
    return Customer(account.id, account.phone), orderer.language or account.language


async def reorder(
    units: Units, catalog: Catalog, code: str, *, account_id: int, channel: str, terms: Terms,
    payment_method: str | None = None, origin_key: str | None = None,
) -> Placed:
    """The customer's past order again: same dishes, same place, paid as then unless they say."""
    async with units.unit() as unit:
        past = await order_by_code(unit, code)
        if past.account_id != account_id:
            raise NotFound(f"no order {past.code}")
        method = payment_method or past.payment_method
        basket = Basket(
            restaurant_id=past.restaurant_id, lines=tuple(lines_of(past)), destination=destinations.of_order(catalog, past),
            payment_method=method, payer_phone=past.payer_phone if method != "cash" and method == past.payment_method else None,
        )
        return await place_in(unit, catalog, basket, orderer=Orderer(account_id=account_id), channel=channel, terms=terms,
                              origin_key=origin_key, remember_address=False)


async def cancel(units: Units, code: str, *, account_id: int, reason: str, language: str | None = None) -> Cancelled:
    """The customer cancels their order until the restaurant accepts it; a notified restaurant is
    told and a paid order refunded. Cancelling a cancelled order again changes nothing. With a
    `language`, the result carries what the customer reads (the app renders its own)."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        if order.account_id != account_id:
            raise NotFound(f"no order {code}")  # not Forbidden: whether it exists is not theirs to know
        if order.status == OrderStatus.CANCELLED.value:
            return await _cancelled(unit, order, language, already=True)
        if not can_be_cancelled_by_customer(order.status):
            return Cancelled(view_of(order), done=False, already=False, notice="", restaurant_told=False)
        customer = await unit.session.get(Account, account_id)
        await order_changes.cancel_by_customer(unit, order, customer, reason=reason)
        return await _cancelled(unit, order, language)


async def cancellation(units: Units, code: str, *, account_id: int, language: str) -> Cancelled:
    """What the customer reads of their cancelled order (shown again on a replayed screen)."""
    async with units.unit() as unit:
        order = await order_by_code(unit, code)
        if order.account_id != account_id:
            raise Forbidden("not yours")
        return await _cancelled(unit, order, language)


async def _cancelled(unit: Unit, order: Order, language: str | None, *, already: bool = False) -> Cancelled:
    notice = cancelled_by_you(order, await payments.refund_owed(unit, order), language) if language else ""
    return Cancelled(view_of(order), done=True, already=already, notice=notice,
                     restaurant_told=order.reached_restaurant_at is not None)


async def history(units: Units, account_id: int) -> History:
    async with units.unit() as unit:
        found = await customer_orders(unit, account_id, limit=usual_rule.WINDOW)  # the same two statements as one
        last = found[0] if found and found[0].status != OrderStatus.DRAFT.value else None
        if last is None:
            return History(None, None)
        usual_basket = usual_rule.usual_of([view_of(o) for o in found])
        try:
            await payment_retry.standing(unit, last)
        except payment_retry.NoOffer:
            return History(view_of(last), None, usual_basket)
        return History(view_of(last), last.payment_retry_until, usual_basket)


async def customer_order(units: Units, account_id: int, code: str | None = None) -> OrderView | None:
    """The customer's own order of that code, or their latest when none is named; None when there is none."""
    async with units.unit() as unit:
        if code is None:
            found = await customer_orders(unit, account_id, limit=1)
            return view_of(found[0]) if found else None
        try:
            order = await order_by_code(unit, code)
        except NotFound:
            return None
        return view_of(order) if order.account_id == account_id else None


async def orders_of(units: Units, account_id: int, *, limit: int, before_id: int | None = None) -> list[OrderView]:
    """The customer's orders, newest first, from before the `before_id` cursor."""
    async with units.unit() as unit:
        return [view_of(o) for o in await customer_orders(unit, account_id, limit=limit, before_id=before_id)]
