"""Ratings of delivered and collected orders: asked once by SMS, given once by the orderer within
the window, counted on the restaurant and the driver in the same transaction, and answered by
the restaurant.

The stars are added to `rating_count` and `rating_total` on the restaurant's row and the
driver's profile by one UPDATE each (`count = count + 1`), so two ratings committing at once
both count. The restaurant's row is in the catalog snapshot, so a rating bumps the catalog
version (core.catalog_versions) and every process shows the new "4.6*" within seconds.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from core import audit, outbox, rating_notices
from core.db import Unit
from core.errors import BadInput, Conflict, NotFound
from core.models import Account, Driver, Order, Rating, Restaurant
from core.orders import order_by_code
from core.ratings import MAX_STARS, MIN_STARS, valid_stars
from state_machines.order import OrderStatus
from state_machines.rating import RatingFlow, RatingStatus as S

MAX_COMMENT = 300
MAX_ANSWER = 300
EXPIRY_BATCH = 200


@dataclass(frozen=True)
class Stars:
    """What a customer gave: the restaurant's stars, the driver's (None: the same), a comment."""

    restaurant: int
    driver: int | None = None
    comment: str = ""


class RatingClosed(Conflict):
    """A rating that cannot be given (any more): `why` is `rated` (once only) or `expired`."""

    code = "rating_closed"

    def __init__(self, rating: Rating, why: str) -> None:
        super().__init__(f"order {rating.order_code} {'is rated already' if why == 'rated' else 'can no longer be rated'}")
        self.rating = rating
        self.why = why


async def ask(unit: Unit, order: Order, driver_id: int | None) -> Rating | None:
    """After a handover or a collection: the customer is asked once, by SMS in their language;
    None when this order was asked already."""
    found = await unit.session.scalar(select(Rating).where(Rating.order_id == order.id))
    if found is not None:
        return None
    restaurant = await unit.session.get(Restaurant, order.restaurant_id)
    rating = Rating(order_id=order.id, order_code=order.code, account_id=order.account_id, restaurant_id=restaurant.id,
                    driver_account_id=driver_id, status=S.ASKED.value, asked_at=unit.now())
    unit.session.add(rating)
    customer = await unit.session.get(Account, order.account_id)
    body = rating_notices.asked(order.code, restaurant.name, has_driver=driver_id is not None, language=customer.language)
    await outbox.about_order(unit, order, customer.phone, body, "rating.asked")
    return rating


async def waiting(unit: Unit, account_id: int) -> Rating | None:
    """The customer's newest rating request still asked: what a bare reply rates."""
    return await unit.session.scalar(
        select(Rating).where(Rating.account_id == account_id, Rating.status == S.ASKED.value)
        .order_by(Rating.id.desc()).limit(1)
    )


async def of_order(unit: Unit, code: str, account_id: int) -> Rating:
    """The order's rating request, for its orderer only: anyone else is told there is none."""
    order = await order_by_code(unit, code)
    if order.account_id != account_id:
        raise NotFound(f"no order {code}")  # not Forbidden: whether it exists is not theirs to know
    rating = await unit.session.scalar(select(Rating).where(Rating.order_id == order.id))
    if rating is None:
        raise Conflict(f"order {code} cannot be rated before it is delivered or collected")
    return rating


async def second_chance_open(unit: Unit, account_id: int) -> bool:
    """Whether one of the customer's orders waits on a second chance to pay (core.payment_retry)."""
    found = await unit.session.scalar(
        select(Order.id).where(Order.account_id == account_id, Order.status == OrderStatus.AWAITING_PAYMENT.value,
                               Order.payment_retry_until > unit.now()).limit(1)
    )
    return found is not None


def _comment(text: str) -> str:
    text = " ".join((text or "").split())
    if not text.isprintable():
        raise BadInput("a comment is printable text only")
    return text[:MAX_COMMENT]


async def rate(unit: Unit, rating: Rating, stars: Stars, *, channel: str, window_s: int) -> Rating:
    """Counts the customer's stars once, within `window_s` of the request; a late answer closes
    the request (EXPIRED) and a second one is refused (RatingClosed)."""
    if rating.status == S.RATED.value:
        raise RatingClosed(rating, "rated")
    actor = f"customer:{rating.account_id}"
    if rating.status == S.EXPIRED.value or unit.now() - rating.asked_at > timedelta(seconds=window_s):
        if rating.status == S.ASKED.value:
            audit.change(unit, RatingFlow(rating), "expire", actor="system", reason="answered after the window")
        raise RatingClosed(rating, "expired")
    driver_stars = stars.driver if stars.driver is not None else stars.restaurant
    if not valid_stars(stars.restaurant) or not valid_stars(driver_stars):
        raise BadInput(f"stars are whole numbers from {MIN_STARS} to {MAX_STARS}")
    comment = _comment(stars.comment)
    audit.change(unit, RatingFlow(rating), "rate", actor=actor, data={"stars": stars.restaurant})
    rating.rated_at, rating.channel = unit.now(), channel
    rating.restaurant_stars, rating.comment = stars.restaurant, comment or None
    await unit.session.execute(
        update(Restaurant).where(Restaurant.id == rating.restaurant_id)
        .values(rating_count=Restaurant.rating_count + 1, rating_total=Restaurant.rating_total + stars.restaurant)
        .execution_options(synchronize_session=False)
    )
    if rating.driver_account_id is not None:
        rating.driver_stars = driver_stars
        await unit.session.execute(
            update(Driver).where(Driver.account_id == rating.driver_account_id)
            .values(rating_count=Driver.rating_count + 1, rating_total=Driver.rating_total + driver_stars)
            .execution_options(synchronize_session=False)
        )
    await unit.session.flush()
    return rating


async def expire_due(unit: Unit, window_s: int, batch: int = EXPIRY_BATCH) -> int:
    """The worker's pass: requests left unanswered past the window are closed (EXPIRED)."""
    due = await unit.session.scalars(
        select(Rating).where(Rating.status == S.ASKED.value, Rating.asked_at < unit.now() - timedelta(seconds=window_s))
        .order_by(Rating.id).limit(batch).with_for_update(skip_locked=True)
    )
    done = 0
    for rating in list(due):
        audit.change(unit, RatingFlow(rating), "expire", actor="system", reason="not answered in time")
        done += 1
    return done


async def answer(unit: Unit, rating_id: int, restaurant_id: int, text: str, *, actor: str) -> Rating:
    """The restaurant answers a comment once; the customer gets the answer by SMS in their language."""
    rating = await unit.session.get(Rating, rating_id)
    if rating is None or rating.restaurant_id != restaurant_id or rating.status != S.RATED.value:
        raise NotFound(f"no rating {rating_id} of this restaurant")
    if not rating.comment:
        raise BadInput("only a rating with a comment can be answered")
    if rating.answer is not None:
        raise Conflict(f"the comment on order {rating.order_code} is answered already")
    said = " ".join((text or "").split())
    if not said or not said.isprintable():
        raise BadInput("write the answer: printable text")
    rating.answer, rating.answered_at, rating.answered_by = said[:MAX_ANSWER], unit.now(), actor[:40]
    audit.record(unit, "rating", rating.order_code, "answer", actor=actor, data={"rating": rating.id})
    restaurant = await unit.session.get(Restaurant, restaurant_id)
    customer = await unit.session.get(Account, rating.account_id)
    order = await unit.session.get(Order, rating.order_id)
    body = rating_notices.answered(rating.order_code, restaurant.name, rating.answer, customer.language)
    await outbox.about_order(unit, order, customer.phone, body, "rating.answered")
    await unit.session.flush()
    return rating


async def of_restaurant(
    unit: Unit, restaurant_id: int, *, limit: int, before_id: int | None = None, commented: bool = False,
) -> list[Rating]:
    """A restaurant's ratings, newest first, from before the cursor; `commented`: only those with a comment."""
    query = select(Rating).where(Rating.restaurant_id == restaurant_id, Rating.status == S.RATED.value)
    if commented:
        query = query.where(Rating.comment.is_not(None))
    if before_id:
        query = query.where(Rating.id < before_id)
    return list(await unit.session.scalars(query.order_by(Rating.id.desc()).limit(limit)))
