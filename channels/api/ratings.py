"""Ratings on the API: the orderer rates a delivered or collected order once; anyone reads a
restaurant's average and count; its owner and managers read the comments and answer them (the
customer gets the answer by SMS). The same use cases answer the SMS and WhatsApp replies.
"""
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from channels.api.endpoints import MAX_ID, Call, endpoint
from channels.api.requests import acting_for, has_role
from channels.api.schemas import Page, Shape, cut, printable
from channels.keys import DATABASE, SETTINGS
from core import restaurant_roles as roles
from core.errors import Forbidden
from core.feedback import MAX_ANSWER, MAX_COMMENT, Stars
from core.ratings import MAX_STARS, MIN_STARS
from core.use_cases import rating
from core.use_cases.rating import RatingView

PAGE = 20
StarCount = Annotated[int, Field(ge=MIN_STARS, le=MAX_STARS)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_COMMENT), AfterValidator(printable)]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ANSWER),
                       AfterValidator(printable)]


class RateIn(Shape):
    restaurant_stars: StarCount
    driver_stars: StarCount | None = Field(None, description="the driver's; left out: the restaurant's stars. Ignored for a pickup")
    comment: Comment = ""


class RatingOut(Shape):
    id: int
    order_code: str
    restaurant_id: int
    status: str = Field(description="ASKED, RATED or EXPIRED")
    restaurant_stars: int | None
    driver_stars: int | None = Field(description="null for a pickup, which has no driver")
    comment: str | None
    answer: str | None = Field(description="the restaurant's answer to the comment, also sent to the customer by SMS")
    asked_at: datetime
    rated_at: datetime | None
    answered_at: datetime | None

    @classmethod
    def of(cls, view: RatingView) -> "RatingOut":
        return cls(id=view.id, order_code=view.order_code, restaurant_id=view.restaurant_id, status=view.status,
                   restaurant_stars=view.restaurant_stars, driver_stars=view.driver_stars, comment=view.comment,
                   answer=view.answer, asked_at=view.asked_at, rated_at=view.rated_at, answered_at=view.answered_at)


class AveragesOut(Shape):
    restaurant_id: int
    rating_count: int
    rating_average: float | None = Field(description="1 to 5, one decimal; null before the first rating")


class DriverAveragesOut(Shape):
    rating_count: int
    rating_average: float | None = Field(description="1 to 5, one decimal; null before the first rating")


class RatingPage(Page):
    items: list[RatingOut]


class RatingsQuery(Shape):
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="the `next` value of the previous page")
    commented: bool = Field(False, description="true: only ratings with a comment")


class CommentAnswerIn(Shape):
    text: AnswerText


@endpoint("POST", "/api/v1/orders/{code}/rating", tag="ratings", body=RateIn, response=RatingOut, status=201,
          summary="Rate a delivered or collected order: the restaurant and the driver, 1 to 5, and a comment",
          roles="the order's customer only, once, within CHOPBAR_RATING_WINDOW of the delivery",
          extra_responses={409: "rated already, too late (`rating_closed`), or not delivered yet"})
async def rate(call: Call) -> RatingOut:
    body: RateIn = call.body
    rated = await rating.rate(
        call.app[DATABASE], account_id=call.account_id, code=call.path["code"],
        stars=Stars(body.restaurant_stars, body.driver_stars, body.comment), channel="app",
        window_s=call.app[SETTINGS].rating_window,
    )
    return RatingOut.of(rated)


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/rating", tag="ratings", response=AveragesOut, auth=False,
          summary="A restaurant's average stars and how many ratings it has", roles="anyone")
async def averages(call: Call) -> AveragesOut:
    found = await rating.averages(call.app[DATABASE], call.path["restaurant_id"])
    return AveragesOut(restaurant_id=found.restaurant_id, rating_count=found.count, rating_average=found.average)


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/ratings", tag="ratings", query=RatingsQuery, response=RatingPage,
          summary="The restaurant's ratings with their comments and answers, newest first",
          roles="the restaurant's owner and managers")
async def listed(call: Call) -> RatingPage:
    restaurant_id = acting_for(call.claims, call.path["restaurant_id"], roles.RATINGS)
    found = await rating.of_restaurant(call.app[DATABASE], restaurant_id, limit=PAGE + 1, before_id=call.query.cursor,
                                       commented=call.query.commented)
    page, after = cut(found, PAGE)
    return RatingPage(items=[RatingOut.of(r) for r in page], next=after)


@endpoint("POST", "/api/v1/restaurants/{restaurant_id}/ratings/{rating_id}/answer", tag="ratings", body=CommentAnswerIn,
          response=RatingOut, summary="Answer a customer's comment, once: they get the answer by SMS",
          roles="the restaurant's owner and managers", extra_responses={409: "answered already"})
async def answer(call: Call) -> RatingOut:
    restaurant_id = acting_for(call.claims, call.path["restaurant_id"], roles.RATINGS)
    answered = await rating.answer(call.app[DATABASE], restaurant_id, call.path["rating_id"], call.body.text,
                                   actor=f"app:{call.claims['sub']}")
    return RatingOut.of(answered)


@endpoint("GET", "/api/v1/driver/rating", tag="ratings", response=DriverAveragesOut,
          summary="The driver's own average stars and how many ratings they have", roles="drivers")
async def driver_averages(call: Call) -> DriverAveragesOut:
    if not has_role(call.claims, "driver"):
        raise Forbidden("only drivers have ratings of their own")
    count, mean = await rating.driver_average(call.app[DATABASE], call.account_id)
    return DriverAveragesOut(rating_count=count, rating_average=mean)
