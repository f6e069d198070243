"""A restaurant keeping its menu and its hours from its tablet or its SMS console: dishes sold out
or back, prices, options, the week's opening hours, closing for a while. Every change is audited; the caller drops
its catalog snapshot (other processes see the change within the snapshot's lifetime)."""
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from core import audit
from core.catalog import restaurant as restaurant_of
from core.db import Unit, Units
from core.errors import BadInput, NotFound
from core.models import MenuItem, MenuOption, OpeningHours, OptionGroup
from core.restaurants import dish_numbered, mark_available, mark_sold_out, set_open

MIN_PRICE_XAF, MAX_PRICE_XAF = 50, 1_000_000  # a dish's price, by SMS or by the API
AUTO_MINUTES = (5, 180)  # the "ready in about" an automatic accept promises, at least and at most


@dataclass(frozen=True)
class Dish:
    id: int
    number: int  # its place on the menu, as the SMS console numbers it
    name_en: str
    name_fr: str
    price_xaf: int
    available: bool


@dataclass(frozen=True)
class Option:
    id: int
    name_en: str
    name_fr: str
    available: bool


@dataclass(frozen=True)
class Span:
    weekday: int  # 0 Monday .. 6 Sunday
    opens_min: int  # minutes after local midnight
    closes_min: int


@dataclass(frozen=True)
class Standing:
    """A restaurant as its staff manage it: approved or not, closed for now or not, its hours."""

    id: int
    name: str
    status: str
    paused: bool
    hours: tuple[Span, ...]


async def change_dish(units: Units, restaurant_id: int, item_id: int, *, actor: str, available: bool | None = None,
                      price_xaf: int | None = None) -> Dish:
    """A dish sold out or back, or its new price; a change to what it already is records nothing."""
    async with units.unit() as unit:
        item = await unit.session.get(MenuItem, item_id)
        if item is None or item.restaurant_id != restaurant_id:
            raise NotFound(f"no dish {item_id} at this restaurant")
        return _changed(unit, restaurant_id, item, actor=actor, available=available, price_xaf=price_xaf)


def _changed(unit: Unit, restaurant_id: int, item: MenuItem, *, actor: str, available: bool | None,
             price_xaf: int | None) -> Dish:
    """The dish's availability or price as asked, audited when it changed."""
    if price_xaf is not None and not MIN_PRICE_XAF <= price_xaf <= MAX_PRICE_XAF:
        raise BadInput(f"price_xaf must be between {MIN_PRICE_XAF} and {MAX_PRICE_XAF} XAF")
    changed = {}
    if available is not None and available != item.available:
        item.available = changed["available"] = available
    if price_xaf is not None and price_xaf != item.price_xaf:
        changed["price_xaf"] = [item.price_xaf, price_xaf]
        item.price_xaf = price_xaf
    if changed:
        audit.record(unit, "restaurant", str(restaurant_id), "dish_changed", actor=actor, data={"dish": item.id, **changed})
    return Dish(item.id, item.position, item.name_en, item.name_fr, item.price_xaf, item.available)


async def sold_out(units: Units, restaurant_id: int, number: int, *, actor: str) -> Dish:
    """Dish `number` (its place on the menu) is sold out, until it is back."""
    async with units.unit() as unit:
        item = await mark_sold_out(unit, await restaurant_of(unit, restaurant_id), number, actor=actor)
        return Dish(item.id, item.position, item.name_en, item.name_fr, item.price_xaf, item.available)


async def back_on_sale(units: Units, restaurant_id: int, number: int, *, actor: str) -> Dish:
    """Dish `number` (its place on the menu) is available again: undoes a sold out."""
    async with units.unit() as unit:
        item = await mark_available(unit, await restaurant_of(unit, restaurant_id), number, actor=actor)
        return Dish(item.id, item.position, item.name_en, item.name_fr, item.price_xaf, item.available)


async def reprice(units: Units, restaurant_id: int, number: int, price_xaf: int, *, actor: str) -> Dish:
    """Dish `number` costs `price_xaf` from now on (orders already placed keep their price)."""
    async with units.unit() as unit:
        item = await dish_numbered(unit, await restaurant_of(unit, restaurant_id), number)
        return _changed(unit, restaurant_id, item, actor=actor, available=None, price_xaf=price_xaf)


@dataclass(frozen=True)
class AutoAccept:
    on: bool
    minutes: int  # the "ready in about" each automatic accept gives the customer


async def auto_accept(units: Units, restaurant_id: int, on: bool, *, actor: str, minutes: int | None = None) -> AutoAccept:
    """AUTO ON/OFF: every new order accepted at once, ready in `minutes` (else the minutes it had)."""
    if minutes is not None and not AUTO_MINUTES[0] <= minutes <= AUTO_MINUTES[1]:
        raise BadInput(f"minutes must be between {AUTO_MINUTES[0]} and {AUTO_MINUTES[1]}")
    async with units.unit() as unit:
        restaurant = await restaurant_of(unit, restaurant_id)
        before = (restaurant.auto_accept, restaurant.prep_minutes)
        restaurant.auto_accept = on
        restaurant.prep_minutes = minutes or restaurant.prep_minutes
        if (restaurant.auto_accept, restaurant.prep_minutes) != before:
            audit.record(unit, "restaurant", str(restaurant_id), "auto_accept", actor=actor,
                         data={"on": on, "minutes": restaurant.prep_minutes})
        return AutoAccept(restaurant.auto_accept, restaurant.prep_minutes)


async def change_option(units: Units, restaurant_id: int, option_id: int, *, actor: str, available: bool) -> Option:
    """A dish's option (a size, an extra) unavailable or back."""
    async with units.unit() as unit:
        option = await unit.session.scalar(
            select(MenuOption).join(OptionGroup, MenuOption.group_id == OptionGroup.id)
            .join(MenuItem, OptionGroup.item_id == MenuItem.id)
            .where(MenuOption.id == option_id, MenuItem.restaurant_id == restaurant_id)
        )
        if option is None:
            raise NotFound(f"no option {option_id} at this restaurant")
        if option.available != available:
            option.available = available
            audit.record(unit, "restaurant", str(restaurant_id), "option_changed", actor=actor,
                         data={"option": option.id, "available": option.available})
        return Option(option.id, option.name_en, option.name_fr, option.available)


async def standing(units: Units, restaurant_id: int) -> Standing:
    async with units.unit() as unit:
        restaurant = await restaurant_of(unit, restaurant_id)
        hours = await unit.session.scalars(select(OpeningHours).where(OpeningHours.restaurant_id == restaurant_id))
        spans = tuple(sorted((Span(h.weekday, h.opens_min, h.closes_min) for h in hours),
                             key=lambda s: (s.weekday, s.opens_min)))
        return Standing(restaurant.id, restaurant.name, restaurant.status, restaurant.paused, spans)


async def set_hours(units: Units, restaurant_id: int, spans: Sequence[Span], *, actor: str, as_given: list) -> None:
    """The week's opening hours replaced; `as_given` is what the audit keeps of the request."""
    async with units.unit() as unit:
        await restaurant_of(unit, restaurant_id)
        await unit.session.execute(delete(OpeningHours).where(OpeningHours.restaurant_id == restaurant_id))
        unit.session.add_all(
            OpeningHours(restaurant_id=restaurant_id, weekday=s.weekday, opens_min=s.opens_min, closes_min=s.closes_min)
            for s in spans
        )
        audit.record(unit, "restaurant", str(restaurant_id), "hours_changed", actor=actor, data={"hours": as_given})


async def open_or_close(units: Units, restaurant_id: int, is_open: bool, *, actor: str) -> None:
    """Closed for now (no orders even in opening hours), or open again."""
    async with units.unit() as unit:
        set_open(unit, await restaurant_of(unit, restaurant_id), is_open, actor=actor)
