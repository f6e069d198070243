"""The restaurant's side of the API, for its tablet: orders to answer, the menu's availability and
prices, opening hours, and closing for a while, as the SMS console does.

Owners and staff both see orders and mark dishes sold out or back; changing a price or the
hours is the owner's. Every change is audited, and this process's catalog snapshot is dropped at
once (other processes see it within the snapshot's lifetime, as with the SMS console).
"""
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy import delete, select

from channels.api.endpoints import Call, endpoint
from channels.api.orders import PAGE, Cursor, page_of
from channels.api.schemas import OrderPage, Shape
from channels.keys import DATABASE, DIALOGS
from core import audit
from core.catalog import restaurant as restaurant_of
from core.errors import BadInput, Forbidden, NotFound
from core.hours import DAY, span
from core.models import MenuItem, MenuOption, OpeningHours, OptionGroup, Order, Restaurant
from core.restaurants import set_open
from state_machines.order import OrderStatus

HHMM = Annotated[str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")]
SHOWN = {
    "pending": (OrderStatus.PENDING_RESTAURANT.value,),
    "active": (OrderStatus.ACCEPTED.value, OrderStatus.READY.value),
}


class Orders(Cursor):
    status: Literal["pending", "active", "all"] = Field("pending", description="pending: waiting for an answer")


class DishChange(Shape):
    available: bool | None = None
    price_xaf: int | None = Field(None, ge=50, le=1_000_000, description="the owner's to change")

    @model_validator(mode="after")
    def something(self):
        if self.available is None and self.price_xaf is None:
            raise ValueError("send available, price_xaf or both")
        return self


class OptionChange(Shape):
    available: bool


class DishState(Shape):
    """A dish as its restaurant manages it: price and availability."""

    id: int
    number: int
    name_en: str
    name_fr: str
    price_xaf: int
    available: bool


class OptionStateOut(Shape):
    id: int
    name_en: str
    name_fr: str
    available: bool


class Span(Shape):
    weekday: int = Field(ge=0, le=6, description="0 Monday .. 6 Sunday")
    opens: HHMM
    closes: HHMM = Field(description="before `opens`: after midnight; 24:00 is the end of the day")


class Hours(Shape):
    hours: list[Span] = Field(max_length=21, description="every opening span of the week; none: closed all week")


class RestaurantState(Shape):
    id: int
    name: str
    status: str
    paused: bool = Field(description="closed for now by its owner or staff")
    hours: list[Span]


def _hhmm(minute: int) -> str:
    """Minutes as stored back to HH:MM: past midnight wraps, the end of the day is 24:00."""
    if minute != DAY:
        minute %= DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _state(restaurant: Restaurant, hours: list[OpeningHours]) -> RestaurantState:
    return RestaurantState(
        id=restaurant.id, name=restaurant.name, status=restaurant.status, paused=restaurant.paused,
        hours=[Span(weekday=h.weekday, opens=_hhmm(h.opens_min), closes=_hhmm(h.closes_min))
               for h in sorted(hours, key=lambda h: (h.weekday, h.opens_min))],
    )


def _works_there(call: Call, *, owner: bool = False) -> int:
    restaurant_id = call.path["restaurant_id"]
    allowed = {f"owner:{restaurant_id}"} | (set() if owner else {f"staff:{restaurant_id}"})
    if not allowed & set(call.claims.get("roles", [])):
        raise Forbidden("only this restaurant's " + ("owner" if owner else "owner and staff") + " may do this")
    return restaurant_id


def _actor(call: Call) -> str:
    return f"app:{call.claims['sub']}"


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/orders", tag="restaurant", query=Orders, response=OrderPage,
          summary="The restaurant's orders: waiting for an answer first", roles="the restaurant's owner and staff")
async def orders(call: Call) -> OrderPage:
    restaurant_id = _works_there(call)
    query = select(Order).where(Order.restaurant_id == restaurant_id)
    if call.query.status != "all":
        query = query.where(Order.status.in_(SHOWN[call.query.status]))
    if call.query.cursor:
        query = query.where(Order.id < call.query.cursor)
    async with call.app[DATABASE].unit() as unit:
        found = list(await unit.session.scalars(query.order_by(Order.id.desc()).limit(PAGE + 1)))
    return page_of(found, PAGE)


@endpoint("PATCH", "/api/v1/restaurants/{restaurant_id}/dishes/{item_id}", tag="restaurant", body=DishChange,
          response=DishState, summary="Mark a dish sold out or back, or change its price",
          roles="availability: the restaurant's owner and staff; price: its owner")
async def change_dish(call: Call) -> DishState:
    restaurant_id = _works_there(call, owner=call.body.price_xaf is not None)
    async with call.app[DATABASE].unit() as unit:
        item = await unit.session.get(MenuItem, call.path["item_id"])
        if item is None or item.restaurant_id != restaurant_id:
            raise NotFound(f"no dish {call.path['item_id']} at this restaurant")
        changed = {}
        if call.body.available is not None and call.body.available != item.available:
            item.available = changed["available"] = call.body.available
        if call.body.price_xaf is not None and call.body.price_xaf != item.price_xaf:
            changed["price_xaf"] = [item.price_xaf, call.body.price_xaf]
            item.price_xaf = call.body.price_xaf
        if changed:
            audit.record(unit, "restaurant", str(restaurant_id), "dish_changed", actor=_actor(call), data={"dish": item.id, **changed})
        answer = DishState(id=item.id, number=item.position, name_en=item.name_en, name_fr=item.name_fr,
                         price_xaf=item.price_xaf, available=item.available)
    call.app[DIALOGS].catalog.invalidate()
    return answer


@endpoint("PATCH", "/api/v1/restaurants/{restaurant_id}/options/{option_id}", tag="restaurant", body=OptionChange,
          response=OptionStateOut, summary="Mark a dish's option (a size, an extra) unavailable or back",
          roles="the restaurant's owner and staff")
async def change_option(call: Call) -> OptionStateOut:
    restaurant_id = _works_there(call)
    async with call.app[DATABASE].unit() as unit:
        option = await unit.session.scalar(
            select(MenuOption).join(OptionGroup, MenuOption.group_id == OptionGroup.id)
            .join(MenuItem, OptionGroup.item_id == MenuItem.id)
            .where(MenuOption.id == call.path["option_id"], MenuItem.restaurant_id == restaurant_id)
        )
        if option is None:
            raise NotFound(f"no option {call.path['option_id']} at this restaurant")
        if option.available != call.body.available:
            option.available = call.body.available
            audit.record(unit, "restaurant", str(restaurant_id), "option_changed", actor=_actor(call),
                         data={"option": option.id, "available": option.available})
        answer = OptionStateOut(id=option.id, name_en=option.name_en, name_fr=option.name_fr, available=option.available)
    call.app[DIALOGS].catalog.invalidate()
    return answer


async def _current(call: Call, restaurant_id: int) -> RestaurantState:
    async with call.app[DATABASE].unit() as unit:
        restaurant = await restaurant_of(unit, restaurant_id)
        hours = list(await unit.session.scalars(select(OpeningHours).where(OpeningHours.restaurant_id == restaurant_id)))
        return _state(restaurant, hours)


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/state", tag="restaurant", response=RestaurantState,
          summary="Opening hours, and whether the restaurant is closed for now", roles="the restaurant's owner and staff")
async def state(call: Call) -> RestaurantState:
    return await _current(call, _works_there(call))


@endpoint("PUT", "/api/v1/restaurants/{restaurant_id}/hours", tag="restaurant", body=Hours, response=RestaurantState,
          summary="Replace the week's opening hours (local time)", roles="the restaurant's owner")
async def set_hours(call: Call) -> RestaurantState:
    restaurant_id = _works_there(call, owner=True)
    spans = [(s.weekday, *span(s.opens, s.closes)) for s in call.body.hours]
    for weekday, start, end in spans:
        if start >= DAY or end - start > DAY:
            raise BadInput(f"day {weekday}: a span opens before 24:00 and lasts at most a day")
    async with call.app[DATABASE].unit() as unit:
        await restaurant_of(unit, restaurant_id)
        await unit.session.execute(delete(OpeningHours).where(OpeningHours.restaurant_id == restaurant_id))
        unit.session.add_all(OpeningHours(restaurant_id=restaurant_id, weekday=w, opens_min=a, closes_min=b) for w, a, b in spans)
        audit.record(unit, "restaurant", str(restaurant_id), "hours_changed", actor=_actor(call),
                     data={"hours": [s.model_dump() for s in call.body.hours]})
    call.app[DIALOGS].catalog.invalidate()
    return await _current(call, restaurant_id)


async def _open_or_close(call: Call, is_open: bool) -> RestaurantState:
    restaurant_id = _works_there(call)
    async with call.app[DATABASE].unit() as unit:
        set_open(unit, await restaurant_of(unit, restaurant_id), is_open, actor=_actor(call))
    call.app[DIALOGS].catalog.invalidate()
    return await _current(call, restaurant_id)


@endpoint("POST", "/api/v1/restaurants/{restaurant_id}/close", tag="restaurant", response=RestaurantState,
          summary="Stop taking orders for now (like CLOSE by SMS)", roles="the restaurant's owner and staff")
async def close(call: Call) -> RestaurantState:
    return await _open_or_close(call, False)


@endpoint("POST", "/api/v1/restaurants/{restaurant_id}/open", tag="restaurant", response=RestaurantState,
          summary="Take orders again in opening hours (like OPEN by SMS)", roles="the restaurant's owner and staff")
async def reopen(call: Call) -> RestaurantState:
    return await _open_or_close(call, True)
