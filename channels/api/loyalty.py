"""Loyalty in the apps: my points, tier and movements; inviting a friend. Spending is `points` on
`POST /orders` and `/cart/checkout`, priced first by `POST /orders/quote`."""
from datetime import datetime

from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.schemas import Phone, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS
from core.use_cases import loyalty


class TierOut(Shape):
    name_en: str
    name_fr: str
    threshold: int = Field(description="points earned over the window that reach it")
    earn_percent: int = Field(description="points earned, in percent of the base rate")


class MovementOut(Shape):
    kind: str = Field(description="earn, spend, give_back, take_back, referral or opening")
    points: int = Field(description="positive: added; negative: spent or taken back")
    order_code: str | None
    at: datetime


class LoyaltyOut(Shape):
    points: int
    worth_xaf: int = Field(description="what the points would take off food now")
    point_value_xaf: int
    min_spend: int = Field(description="the fewest points spent on one order")
    tier: TierOut
    earned_recently: int = Field(description="points earned over the tier's window")
    window_days: int
    next_tier: TierOut | None
    to_next_tier: int
    movements: list[MovementOut] = Field(description="the latest changes, newest first")


def _tier(tier) -> TierOut:
    return TierOut(name_en=tier.name_en, name_fr=tier.name_fr, threshold=tier.threshold, earn_percent=tier.earn_percent)


@endpoint("GET", "/api/v1/me/loyalty", tag="loyalty", response=LoyaltyOut,
          summary="My loyalty points, tier and latest movements", roles="any signed-in account: its own")
async def mine(call: Call) -> LoyaltyOut:
    got = await loyalty.standing(call.app[DATABASE], call.account_id)
    return LoyaltyOut(
        points=got.points, worth_xaf=got.worth_xaf, point_value_xaf=got.point_value_xaf, min_spend=got.min_spend,
        tier=_tier(got.tier), earned_recently=got.earned_recently, window_days=got.window_days,
        next_tier=_tier(got.next_tier) if got.next_tier else None, to_next_tier=got.to_next,
        movements=[MovementOut(kind=m.kind, points=m.points, order_code=m.order_code, at=m.at) for m in got.movements],
    )




class InviteIn(Shape):
    phone: Phone = Field(description="the friend's number, in any Cameroonian form")


class InvitationOut(Shape):
    phone: str = Field(description="E.164")
    reward_points: int = Field(description="each of you gets these once the friend's first order is paid")


@endpoint("POST", "/api/v1/me/invitations", tag="loyalty", body=InviteIn, response=InvitationOut, status=201,
          idempotent=True, summary="Invite a friend by SMS; both get points on the friend's first paid order",
          roles="any signed-in account",
          extra_responses={400: "not a mobile number, my own, a customer already, a number that said STOP, or invited before"})
async def invite(call: Call) -> InvitationOut:
    settings = call.app[SETTINGS]
    done = await loyalty.invite(call.app[DATABASE], call.account_id, call.body.phone,
                                language=settings.default_language, ussd_code=settings.ussd_code)
    return InvitationOut(phone=done.phone, reward_points=done.reward_points)
