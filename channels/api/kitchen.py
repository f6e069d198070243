"""The restaurant's side of the API, for its tablet: orders to answer, the menu's availability and
prices, opening hours, and closing for a while, as the SMS console does.

Who may do what is `core.restaurant_roles`: owners, managers and staff see orders and mark dishes
sold out or back; changing a price or the hours, AUTO and the day's report are the owner's or a manager's. Every change is audited, and this process's catalog snapshot is dropped at
once (other processes see it within the snapshot's lifetime, as with the SMS console).
"""
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from channels.api.endpoints import Call, endpoint
from channels.api.requests import acting_for
from channels.api.orders import PAGE, Cursor, page_of
from channels.api.schemas import OrderPage, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS
from core import restaurant_roles as roles
from core.errors import BadInput
from core.hours import DAY, span
from core.use_cases import reporting, tracking, upkeep
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
    price_xaf: int | None = Field(None, ge=upkeep.MIN_PRICE_XAF, le=upkeep.MAX_PRICE_XAF,
                                  description="the owner's or a manager's to change")

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


class AutoAcceptIn(Shape):
    on: bool = Field(description="true: every new order is accepted at once (AUTO ON by SMS)")
    minutes: int | None = Field(None, ge=upkeep.AUTO_MINUTES[0], le=upkeep.AUTO_MINUTES[1],
                                description="the \"ready in about\" each automatic accept tells the customer; default: as before")


class AutoAcceptOut(Shape):
    on: bool
    minutes: int


class ReportDay(Shape):
    day: date | None = Field(None, description="a local day (CHOPBAR_TIMEZONE), YYYY-MM-DD; default today")


class Takings(Shape):
    cash: int
    mtn: int
    orange: int
    card: int


class BestDish(Shape):
    name_en: str
    name_fr: str
    quantity: int


class DayReportOut(Shape):
    restaurant_id: int
    day: date
    orders: int = Field(description="orders that reached the restaurant that day")
    served: int = Field(description="of those, accepted and not called off since")
    takings_xaf: Takings = Field(description="food of the served orders, by payment method")
    total_xaf: int
    best_dish: BestDish | None = Field(description="the dish sold most that day, by quantity")


def spans_of(hours: list[Span]) -> list[upkeep.Span]:
    """Opening spans in minutes, each opening before 24:00 and lasting at most a day."""
    spans = [upkeep.Span(s.weekday, *span(s.opens, s.closes)) for s in hours]
    for s in spans:
        if s.opens_min >= DAY or s.closes_min - s.opens_min > DAY:
            raise BadInput(f"day {s.weekday}: a span opens before 24:00 and lasts at most a day")
    return spans


def _hhmm(minute: int) -> str:
    """Minutes as stored back to HH:MM: past midnight wraps, the end of the day is 24:00."""
    if minute != DAY:
        minute %= DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _state(restaurant: upkeep.Standing) -> RestaurantState:
    return RestaurantState(
        id=restaurant.id, name=restaurant.name, status=restaurant.status, paused=restaurant.paused,
        hours=[Span(weekday=h.weekday, opens=_hhmm(h.opens_min), closes=_hhmm(h.closes_min)) for h in restaurant.hours],
    )


def _works_there(call: Call, action: str = roles.ANSWER) -> int:
    return acting_for(call.claims, call.path["restaurant_id"], action)


def _actor(call: Call) -> str:
    return f"app:{call.claims['sub']}"


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/orders", tag="restaurant", query=Orders, response=OrderPage,
          summary="The restaurant's orders: waiting for an answer first", roles="the restaurant's owner, managers and staff")
async def orders(call: Call) -> OrderPage:
    restaurant_id = _works_there(call)
    statuses = None if call.query.status == "all" else SHOWN[call.query.status]
    found = await tracking.restaurant_orders(call.app[DATABASE], restaurant_id, statuses=statuses, limit=PAGE + 1,
                                             before_id=call.query.cursor)
    return page_of(found, PAGE)


@endpoint("PATCH", "/api/v1/restaurants/{restaurant_id}/dishes/{item_id}", tag="restaurant", body=DishChange,
          response=DishState, summary="Mark a dish sold out or back, or change its price",
          roles="availability: the restaurant's owner and staff; price: its owner and managers")
async def change_dish(call: Call) -> DishState:
    restaurant_id = _works_there(call, roles.PRICES if call.body.price_xaf is not None else roles.STOCK)
    dish = await upkeep.change_dish(call.app[DATABASE], restaurant_id, call.path["item_id"], actor=_actor(call),
                                    available=call.body.available, price_xaf=call.body.price_xaf)
    call.app[DIALOGS].catalog.invalidate()
    return DishState(id=dish.id, number=dish.number, name_en=dish.name_en, name_fr=dish.name_fr,
                     price_xaf=dish.price_xaf, available=dish.available)


@endpoint("PATCH", "/api/v1/restaurants/{restaurant_id}/options/{option_id}", tag="restaurant", body=OptionChange,
          response=OptionStateOut, summary="Mark a dish's option (a size, an extra) unavailable or back",
          roles="the restaurant's owner, managers and staff")
async def change_option(call: Call) -> OptionStateOut:
    restaurant_id = _works_there(call)
    option = await upkeep.change_option(call.app[DATABASE], restaurant_id, call.path["option_id"], actor=_actor(call),
                                        available=call.body.available)
    call.app[DIALOGS].catalog.invalidate()
    return OptionStateOut(id=option.id, name_en=option.name_en, name_fr=option.name_fr, available=option.available)


async def _current(call: Call, restaurant_id: int) -> RestaurantState:
    return _state(await upkeep.standing(call.app[DATABASE], restaurant_id))


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/state", tag="restaurant", response=RestaurantState,
          summary="Opening hours, and whether the restaurant is closed for now", roles="the restaurant's owner, managers and staff")
async def state(call: Call) -> RestaurantState:
    return await _current(call, _works_there(call))


@endpoint("PUT", "/api/v1/restaurants/{restaurant_id}/hours", tag="restaurant", body=Hours, response=RestaurantState,
          summary="Replace the week's opening hours (local time)", roles="the restaurant's owner and managers")
async def set_hours(call: Call) -> RestaurantState:
    restaurant_id = _works_there(call, roles.HOURS)
    spans = spans_of(call.body.hours)
    await upkeep.set_hours(call.app[DATABASE], restaurant_id, spans, actor=_actor(call),
                           as_given=[s.model_dump() for s in call.body.hours])
    call.app[DIALOGS].catalog.invalidate()
    return await _current(call, restaurant_id)


async def _open_or_close(call: Call, is_open: bool) -> RestaurantState:
    restaurant_id = _works_there(call)
    await upkeep.open_or_close(call.app[DATABASE], restaurant_id, is_open, actor=_actor(call))
    call.app[DIALOGS].catalog.invalidate()
    return await _current(call, restaurant_id)


@endpoint("POST", "/api/v1/restaurants/{restaurant_id}/close", tag="restaurant", response=RestaurantState,
          summary="Stop taking orders for now (like CLOSE by SMS)", roles="the restaurant's owner, managers and staff")
async def close(call: Call) -> RestaurantState:
    return await _open_or_close(call, False)


@endpoint("POST", "/api/v1/restaurants/{restaurant_id}/open", tag="restaurant", response=RestaurantState,
          summary="Take orders again in opening hours (like OPEN by SMS)", roles="the restaurant's owner, managers and staff")
async def reopen(call: Call) -> RestaurantState:
    return await _open_or_close(call, True)


@endpoint("PUT", "/api/v1/restaurants/{restaurant_id}/auto-accept", tag="restaurant", body=AutoAcceptIn,
          response=AutoAcceptOut, summary="Accept every new order at once, or stop (like AUTO ON/OFF by SMS)",
          roles="the restaurant's owner and managers")
async def auto_accept(call: Call) -> AutoAcceptOut:
    restaurant_id = _works_there(call, roles.AUTO)
    auto = await upkeep.auto_accept(call.app[DATABASE], restaurant_id, call.body.on, actor=_actor(call),
                                    minutes=call.body.minutes)
    call.app[DIALOGS].catalog.invalidate()
    return AutoAcceptOut(on=auto.on, minutes=auto.minutes)


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/report", tag="restaurant", query=ReportDay, response=DayReportOut,
          summary="A day's orders, takings by payment method and best dish (like REPORT by SMS)",
          roles="the restaurant's owner and managers")
async def report(call: Call) -> DayReportOut:
    restaurant_id = _works_there(call, roles.REPORT)
    done = await reporting.day_report(call.app[DATABASE], restaurant_id, tz=call.app[SETTINGS].timezone, day=call.query.day)
    best = done.best
    return DayReportOut(
        restaurant_id=done.restaurant_id, day=done.day, orders=done.orders, served=done.served,
        takings_xaf=Takings(**{m: done.takings_xaf.get(m, 0) for m in ("cash", "mtn", "orange", "card")}),
        total_xaf=done.total_xaf,
        best_dish=BestDish(name_en=best.name_en, name_fr=best.name_fr, quantity=best.quantity) if best else None,
    )
