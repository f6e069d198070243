"""Orders: pricing a basket, moving an order along its lifecycle, looking orders up."""
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from core import audit, loyalty, notices, outbox, promotions
from core.catalog import Catalog, restaurant as get_restaurant
from core.codes import CODE_LENGTH
from core.db import Unit
from core.errors import BadInput, NotFound
from core.models import Account, MenuItem, MenuOption, Order, OutboxMessage, Restaurant, RestaurantOffer
from core.pricing import PricedLine, delivery_quote, price_line
from state_machines.order import OrderFlow, OrderStatus

MAX_LINES = 20
PAYMENT_METHODS = ("cash", "mtn", "orange", "card")


@dataclass(frozen=True)
class LineRequest:
    item_id: int
    quantity: int = 1
    option_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Destination:
    """Where the food goes, as people here say it; a pickup order has none."""

    city: str
    quarter_text: str
    landmark: str = ""
    directions: str = ""
    quarter_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    address_id: int | None = None


@dataclass(frozen=True)
class Quote:
    restaurant: Restaurant
    lines: tuple[PricedLine, ...]
    distance_m: int
    delivery_fee_xaf: int
    discount_xaf: int = 0  # off the food, or the delivery fee for free delivery (core.promotions)
    discount: promotions.Discount | None = None  # where it comes from and who pays it
    points_spent: int = 0  # loyalty points taken off the food (`core.loyalty`)
    points_xaf: int = 0

    @property
    def subtotal_xaf(self) -> int:
        return sum(line.total_xaf for line in self.lines)

    @property
    def total_xaf(self) -> int:
        return self.subtotal_xaf + self.delivery_fee_xaf - self.discount_xaf - self.points_xaf


@dataclass(frozen=True)
class Customer:
    """Who places an order, as far as the order needs to know (an `Account` serves too)."""

    id: int
    phone: str


@dataclass
class Placement:
    """Everything a channel gathered to place one order."""

    customer: Account | Customer
    restaurant_id: int
    lines: Sequence[LineRequest]
    payment_method: str
    channel: str
    language: str
    destination: Destination | None = None  # None: the customer collects it
    payer_phone: str | None = None
    origin_key: str | None = None  # e.g. "ussd:<sessionId>": placing twice returns the first order
    points: int = 0  # loyalty points the customer chose to spend on the food
    remember_address: bool = False  # a new destination is saved for the customer's next order
    promo_code: str | None = None  # as the customer typed it; checked when the order is priced


def price_basket(
    restaurant: Restaurant, items: dict[int, MenuItem], lines: Sequence[LineRequest], destination: Destination | None
) -> Quote:
    """Prices a basket the way it will be charged: dishes with options, then delivery."""
    if not lines:
        raise BadInput("the basket is empty")
    if len(lines) > MAX_LINES:
        raise BadInput(f"at most {MAX_LINES} lines per order")
    priced = []
    for line in lines:
        item = items.get(line.item_id)
        if item is None or item.restaurant_id != restaurant.id:
            raise BadInput(f"dish {line.item_id} is not on the menu of {restaurant.name}")
        priced.append(price_line(item, line.option_ids, line.quantity))
    if destination is None:
        return Quote(restaurant, tuple(priced), 0, 0)
    fee = delivery_quote(restaurant.lat, restaurant.lon, destination.lat, destination.lon)
    return Quote(restaurant, tuple(priced), fee.distance_m, fee.fee_xaf)


def discounted(quote: Quote, discount: promotions.Discount | None) -> Quote:
    return replace(quote, discount_xaf=discount.amount_xaf if discount else 0, discount=discount)


def with_offer(quote: Quote, offers: Sequence[RestaurantOffer], at: datetime, tz: str) -> Quote:
    """The basket with the restaurant's offer of the moment taken off, if one holds."""
    return discounted(quote, promotions.offer_discount(promotions.offer_now(offers, at, tz), quote.subtotal_xaf))


async def with_promotions(
    unit: Unit, quote: Quote, offers: Sequence[RestaurantOffer], *, promo_code: str | None, account_id: int | None,
    at: datetime, tz: str,
) -> Quote:
    """The basket as it is charged: the offer of the moment, or the typed code when it gives more
    (`promotions.PromoRefused` when the code does not apply; the basket is not priced without it)."""
    offered = with_offer(quote, offers, at, tz)
    if not promo_code:
        return offered
    promo = await promotions.find(unit, promo_code)
    past = await promotions.history(unit, account_id, promo.id)
    return discounted(quote, promotions.code_discount(
        promo, restaurant_id=quote.restaurant.id, subtotal_xaf=quote.subtotal_xaf, delivery_fee_xaf=quote.delivery_fee_xaf,
        pickup=quote.delivery_fee_xaf == 0, past=past, at=at, beside=offered.discount,
    ))


def lines_of(order: Order) -> list[LineRequest]:
    """A past order's basket, to order it again."""
    return [LineRequest(l.item_id, l.quantity, tuple(o["id"] for o in l.options)) for l in order.lines]


async def quote(unit: Unit, restaurant_id: int, lines: Sequence[LineRequest], destination: Destination | None) -> Quote:
    """The same price, from what the database holds now (what an order is charged)."""
    restaurant = await get_restaurant(unit, restaurant_id)
    wanted = {line.item_id for line in lines}
    items = {i.id: i for i in await unit.session.scalars(
        select(MenuItem).where(MenuItem.id.in_(wanted), MenuItem.archived_at.is_(None)))}  # archived: deleted
    return price_basket(restaurant, items, lines, destination)


async def checked_quote(unit: Unit, catalog: Catalog, placement: Placement) -> Quote | None:
    """The price from the catalog snapshot, when what it depends on is still what the database
    holds: the dishes' prices and availability, the chosen options', the restaurant's status and AUTO.

    Two narrow reads instead of loading the restaurant and its menu again; None when anything
    differs (or the snapshot lacks a dish), and the caller quotes from the database instead.
    Opening hours and option rules come from the snapshot: they change rarely, by the owner,
    and show in every process within the snapshot's lifetime.
    """
    restaurant = catalog.restaurants.get(placement.restaurant_id)
    wanted = {line.item_id for line in placement.lines}
    if restaurant is None or not wanted <= catalog.items.keys():
        return None
    rows = await unit.session.execute(
        select(MenuItem.id, MenuItem.price_xaf, MenuItem.available, MenuItem.restaurant_id, Restaurant.status, Restaurant.paused,
               Restaurant.auto_accept)
        .join(Restaurant, Restaurant.id == MenuItem.restaurant_id)
        .where(MenuItem.id.in_(wanted))
    )
    rows = rows.all()
    if len(rows) != len(wanted):  # a dish removed since the snapshot
        return None
    for item_id, price, available, restaurant_id, status, paused, auto in rows:
        item = catalog.items[item_id]
        if (price, available, restaurant_id) != (item.price_xaf, item.available, item.restaurant_id):
            return None
        if restaurant_id == restaurant.id and (status, paused, auto) != (restaurant.status, restaurant.paused, restaurant.auto_accept):
            return None
    chosen = {option_id for line in placement.lines for option_id in line.option_ids}
    if chosen:
        known = {o.id: o for i in wanted for g in catalog.items[i].option_groups for o in g.options}
        rows = await unit.session.execute(
            select(MenuOption.id, MenuOption.price_delta_xaf, MenuOption.available).where(MenuOption.id.in_(chosen))
        )
        for option_id, delta, available in rows:
            option = known.get(option_id)
            if option is not None and (delta, available) != (option.price_delta_xaf, option.available):
                return None
    return price_basket(restaurant, {i: catalog.items[i] for i in wanted}, placement.lines, placement.destination)


def restaurant_notice(unit: Unit, order: Order, restaurant: Restaurant) -> OutboxMessage:
    """The new-order SMS to the restaurant, with the exact reply to send."""
    return outbox.message(
        unit, restaurant.phone, notices.new_order_for_restaurant(order, restaurant.language),
        kind="order.new_for_restaurant", order_id=order.id, dedupe_key=f"order:{order.code}:new_for_restaurant",
    )


_STAMPS = {"accept": "accepted_at"}
CALLED_OFF = (OrderStatus.CANCELLED.value, OrderStatus.REJECTED.value, OrderStatus.EXPIRED.value)


async def move(
    unit: Unit,
    order: Order,
    trigger: str,
    *,
    actor: str,
    reason: str | None = None,
    data: dict | None = None,
) -> Order:
    """Fires one trigger of the order machine and records who did it, why and when."""
    audit.change(unit, OrderFlow(order), trigger, actor=actor, reason=reason, data=data)
    if trigger in _STAMPS:
        setattr(order, _STAMPS[trigger], order.updated_at)
    await promotions.order_ended(unit, order)  # ended without food: its promo code's use comes back
    if order.status in CALLED_OFF:  # not served: its points come back, its earned points go
        await loyalty.called_off(unit, order)
    return order


async def order_by_code(unit: Unit, code: str, *, for_update: bool = False) -> Order:
    if not (len(code) == CODE_LENGTH and code.isascii() and code.isdigit()):
        raise NotFound(f"no order {code[:20]}")
    query = select(Order).where(Order.code == code)
    if for_update:
        query = query.with_for_update()
    order = await unit.session.scalar(query)
    if order is None:
        raise NotFound(f"no order {code}")
    return order


async def customer_orders(unit: Unit, account_id: int, *, limit: int = 20, before_id: int | None = None) -> list[Order]:
    """A customer's orders, newest first."""
    query = select(Order).where(Order.account_id == account_id)
    if before_id is not None:
        query = query.where(Order.id < before_id)
    return list(await unit.session.scalars(query.order_by(Order.id.desc()).limit(limit)))


async def pending_for_restaurant(unit: Unit, restaurant_id: int) -> list[Order]:
    """Orders waiting for the restaurant's answer, oldest first."""
    rows = await unit.session.scalars(
        select(Order)
        .where(Order.restaurant_id == restaurant_id, Order.status == OrderStatus.PENDING_RESTAURANT.value)
        .order_by(Order.id)
    )
    return list(rows)
