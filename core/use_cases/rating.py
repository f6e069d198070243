"""Rating an order and reading ratings, alike for SMS, WhatsApp, the app and the web console: the
orderer rates once, within the window, the restaurant and the driver; anyone reads a
restaurant's averages; its owner and managers read the comments and answer them.

A reply that comes too late closes the request (EXPIRED) in its own commit before it is refused,
so the refusal is the same however the customer asks again.
"""
from dataclasses import dataclass
from datetime import datetime

from core import feedback
from core.db import Units
from core.errors import NotFound
from core.feedback import RatingClosed, Stars
from core.models import Driver, Rating, Restaurant
from core.ratings import average

DEFAULT_WINDOW_S = 48 * 3600  # CHOPBAR_RATING_WINDOW


@dataclass(frozen=True)
class RatingView:
    id: int
    order_code: str
    restaurant_id: int
    status: str  # state_machines.rating
    restaurant_stars: int | None
    driver_stars: int | None  # None for a pickup
    comment: str | None
    answer: str | None
    asked_at: datetime
    rated_at: datetime | None
    answered_at: datetime | None
    has_driver: bool


@dataclass(frozen=True)
class Averages:
    restaurant_id: int
    name: str
    count: int
    average: float | None  # None before the first rating


@dataclass(frozen=True)
class Waiting:
    """A customer's request still asked (a reply would rate it), or None; and whether a second
    chance to pay stands, which a bare 1 or 2 answers first."""

    rating: RatingView | None
    second_chance: bool = False


def view_of(rating: Rating) -> RatingView:
    return RatingView(
        id=rating.id, order_code=rating.order_code, restaurant_id=rating.restaurant_id, status=rating.status,
        restaurant_stars=rating.restaurant_stars, driver_stars=rating.driver_stars, comment=rating.comment,
        answer=rating.answer, asked_at=rating.asked_at, rated_at=rating.rated_at, answered_at=rating.answered_at,
        has_driver=rating.driver_account_id is not None,
    )


async def waiting(units: Units, account_id: int) -> Waiting:
    """The customer's newest request still asked: what a bare `5` by SMS would rate."""
    async with units.unit() as unit:
        found = await feedback.waiting(unit, account_id)
        if found is None:
            return Waiting(None)
        return Waiting(view_of(found), await feedback.second_chance_open(unit, account_id))


async def rate(
    units: Units, *, account_id: int, code: str | None, stars: Stars, channel: str, window_s: int = DEFAULT_WINDOW_S,
) -> RatingView:
    """The orderer rates the order named (None: their newest still asked). NotFound when there
    is nothing of theirs to rate; RatingClosed when it is rated already or too late."""
    closed = None
    async with units.unit() as unit:
        if code is None:
            found = await feedback.waiting(unit, account_id)
            if found is None:
                raise NotFound("no order is waiting for your rating")
        else:
            found = await feedback.of_order(unit, code, account_id)
        try:
            return view_of(await feedback.rate(unit, found, stars, channel=channel, window_s=window_s))
        except RatingClosed as refused:
            closed = refused  # the expiry is committed with this unit, then refused below
    raise closed


async def averages(units: Units, restaurant_id: int) -> Averages:
    async with units.unit() as unit:
        restaurant = await unit.session.get(Restaurant, restaurant_id)
        if restaurant is None:
            raise NotFound(f"no restaurant {restaurant_id}")
        return Averages(restaurant.id, restaurant.name, restaurant.rating_count,
                        average(restaurant.rating_total, restaurant.rating_count))


async def driver_average(units: Units, account_id: int) -> tuple[int, float | None]:
    """A driver's count of ratings and average stars."""
    async with units.unit() as unit:
        driver = await unit.session.get(Driver, account_id)
        if driver is None:
            raise NotFound(f"no driver {account_id}")
        return driver.rating_count, average(driver.rating_total, driver.rating_count)


async def of_restaurant(
    units: Units, restaurant_id: int, *, limit: int, before_id: int | None = None, commented: bool = False,
) -> list[RatingView]:
    """A restaurant's ratings with their comments and answers, newest first (the caller checks
    that the reader works there)."""
    async with units.unit() as unit:
        rows = await feedback.of_restaurant(unit, restaurant_id, limit=limit, before_id=before_id, commented=commented)
        return [view_of(r) for r in rows]


async def answer(units: Units, restaurant_id: int, rating_id: int, text: str, *, actor: str) -> RatingView:
    """The restaurant answers a comment once; the customer gets it by SMS."""
    async with units.unit() as unit:
        return view_of(await feedback.answer(unit, rating_id, restaurant_id, text, actor=actor))
