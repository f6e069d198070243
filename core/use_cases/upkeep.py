"""A restaurant keeping its menu and its hours from its tablet or its SMS console: dishes sold out
or back, prices, options, the week's opening hours, closing for a while. Every change is audited; the caller drops
its catalog snapshot (other processes see the change within the snapshot's lifetime)."""
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from core import audit
from core.catalog import restaurant as restaurant_of
from core.db import Units
from core.errors import NotFound
from core.models import MenuItem, MenuOption, OpeningHours, OptionGroup
from core.restaurants import mark_sold_out, set_open


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
