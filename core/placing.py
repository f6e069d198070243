"""Placing an order: pricing it as it will be charged (its offer or promo code included), then
writing it with its payment, the restaurant's SMS and its audit row together, once per origin key."""
from dataclasses import replace

from sqlalchemy import delete, select

from core import addresses, audit, inserts, loyalty, payments, promotions
from core.accepting import accept_automatically
from core.catalog import Catalog, accepts_orders
from core.codes import new_order_code
from core.db import Unit
from core.errors import BadInput
from core.models import Address, Order, OrderLine, Restaurant
from core.order_views import OrderView, view_of
from core.orders import (
    PAYMENT_METHODS, Destination, Placement, Quote, checked_quote, quote, restaurant_notice, with_promotions,
)
from state_machines.order import OrderFlow, OrderStatus

MAX_CODE_DRAWS = 20


async def place_order(
    unit: Unit, placement: Placement, *, tz: str, catalog: Catalog | None = None, payment_window_s: int = 300,
) -> OrderView:
    """Prices and places an order with its payment: prepaid ones wait for it, cash ones go to the
    restaurant, its SMS in the same transaction (with AUTO ON, accepted at once).

    With an origin_key already used, the order placed then is returned and nothing repeats.
    With the catalog snapshot, the price comes from it once checked (`checked_quote`). The rows
    are written together (`core.inserts`): one statement on PostgreSQL.
    """
    try:
        basket = await _charged(unit, placement, tz, catalog)
    except BadInput:
        earlier = await _placed_before(unit, placement)
        if earlier is None:
            raise
        return earlier  # replayed after the restaurant closed or a dish ran out: the first order stands
    promo_id = basket.discount.promo_code_id if basket.discount else None
    if (promo_id is not None or placement.points) and (earlier := await _placed_before(unit, placement)) is not None:
        return earlier  # the code's use and the points went to the first order: never twice
    if promo_id is not None and not await promotions.take_use(unit, promo_id):
        raise promotions.PromoRefused("used_up", basket.discount.code)  # its last use went to an order placed meanwhile
    if placement.points:
        # Taken now, before any row is written: a refusal leaves nothing behind.
        basket = await loyalty.spend_on(unit, placement.customer.id, basket, placement.points, loyalty.rules())
    destination, new_address = placement.destination, None
    if placement.remember_address and destination is not None and destination.address_id is None:
        new_address = await addresses.remember(unit, placement.customer.id, destination)
        destination = replace(destination, address_id=new_address)
    for _ in range(MAX_CODE_DRAWS):
        order = _draft(unit, placement, basket, destination)
        OrderFlow(order).fire("place")  # the machine moves the draft before it is stored: no UPDATE after it
        order.placed_at = order.created_at
        at_restaurant = order.status == OrderStatus.PENDING_RESTAURANT  # cash: it goes to the restaurant now
        auto = at_restaurant and basket.restaurant.auto_accept
        if at_restaurant:
            order.reached_restaurant_at = order.created_at
        attached = [*order.lines, payments.new_payment(unit, order, window_s=payment_window_s)]
        if at_restaurant and not auto:
            attached.append(restaurant_notice(unit, order, basket.restaurant))
        event = audit.event(
            unit, "order", order.code, "place", actor=f"customer:{placement.customer.phone}",
            from_state=OrderStatus.DRAFT.value, to_state=order.status, data={"channel": placement.channel},
        )
        order.id = await inserts.insert_together(unit, order, attached, [event], key="order_id")
        if order.id is not None:
            unit.changed.append(event)
            if basket.points_spent:
                loyalty.spent(unit, placement.customer.id, order.id, basket.points_spent)
            if auto:  # AUTO ON: accepted at once, as ACCEPT would
                stored = await unit.session.get(Order, order.id)
                await accept_automatically(unit, stored, await unit.session.get(Restaurant, stored.restaurant_id))
                return view_of(stored)
            return view_of(order)
        earlier = await _placed_before(unit, placement)
        if earlier is not None:
            if promo_id is not None:  # the first order holds its own use
                await promotions.give_back(unit, promo_id)
            if new_address is not None:  # saved for the first order already
                await unit.session.execute(delete(Address).where(Address.id == new_address))
            if basket.points_spent:  # a racing replay wrote the order, with its own points
                await loyalty.unspend(unit, placement.customer.id, basket.points_spent)
            return earlier
    raise RuntimeError(f"no free order code after {MAX_CODE_DRAWS} draws")  # 1 in 10^40 with 90 000 codes free


async def _charged(unit: Unit, placement: Placement, tz: str, catalog: Catalog | None) -> Quote:
    """The basket priced as it will be charged, refused when the restaurant takes no order now."""
    if placement.payment_method not in PAYMENT_METHODS:
        raise BadInput(f"payment method must be one of {', '.join(PAYMENT_METHODS)}")
    basket = catalog is not None and await checked_quote(unit, catalog, placement)
    if basket:
        offers = catalog.offers(placement.restaurant_id)  # like opening hours, from the snapshot
    else:
        basket = await quote(unit, placement.restaurant_id, placement.lines, placement.destination)
        offers = await promotions.offers_of(unit, placement.restaurant_id)
    if not accepts_orders(basket.restaurant, unit.now(), tz):
        raise BadInput(f"{basket.restaurant.name} is closed now")
    return await with_promotions(unit, basket, offers, promo_code=placement.promo_code, account_id=placement.customer.id,
                                 at=unit.now(), tz=tz)


async def _placed_before(unit: Unit, placement: Placement) -> OrderView | None:
    if not placement.origin_key:
        return None
    earlier = await unit.session.scalar(select(Order).where(Order.origin_key == placement.origin_key))
    return view_of(earlier) if earlier is not None else None


def _draft(unit: Unit, placement: Placement, basket: Quote, dest: Destination | None) -> Order:
    """The order as drafted, not stored: `place_order` writes its rows itself."""
    restaurant, now = basket.restaurant, unit.now()
    return Order(
        code=new_order_code(),
        origin_key=placement.origin_key,
        account_id=placement.customer.id,
        restaurant_id=restaurant.id,
        status=OrderStatus.DRAFT.value,
        channel=placement.channel,
        language=placement.language,
        fulfilment="delivery" if dest else "pickup",
        payment_method=placement.payment_method,
        payer_phone=placement.payer_phone or placement.customer.phone,
        address_id=dest.address_id if dest else None,
        city=dest.city if dest else restaurant.city,
        quarter_id=dest.quarter_id if dest else restaurant.quarter_id,
        quarter_text=dest.quarter_text if dest else restaurant.quarter.name,
        landmark=dest.landmark if dest else restaurant.landmark,
        directions=dest.directions if dest else "",
        distance_m=basket.distance_m,
        subtotal_xaf=basket.subtotal_xaf,
        delivery_fee_xaf=basket.delivery_fee_xaf,
        total_xaf=basket.total_xaf,
        discount_xaf=basket.discount_xaf,
        discount_funder=basket.discount.funder if basket.discount else None,
        promo_code_id=basket.discount.promo_code_id if basket.discount else None,
        offer_id=basket.discount.offer_id if basket.discount else None,
        points_spent=basket.points_spent,
        points_xaf=basket.points_xaf,
        ready_in_minutes=None,
        cancelled_by=None,
        cancel_reason=None,
        created_at=now,
        updated_at=now,
        reached_restaurant_at=None,
        lines=[
            OrderLine(
                item_id=line.item.id,
                name_en=line.item.name_en,
                name_fr=line.item.name_fr,
                options=line.options_snapshot(),
                unit_price_xaf=line.unit_price_xaf,
                quantity=line.quantity,
                line_total_xaf=line.total_xaf,
            )
            for line in basket.lines
        ],
    )
