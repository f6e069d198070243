"""A customer's loyalty on every channel: where their points stand, what a basket may take off
with them, and inviting a friend (`INVITE`). Earning, spending and giving back happen in
`core.loyalty`, called by placing, payments and refunds."""
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from core import loyalty, outbox
from core.loyalty import NotEnoughPoints, rules  # noqa: F401  (what the channels show and catch)
from core.db import Units
from core.errors import BadInput
from core.i18n import N_, translate
from core.models import Account, Invitation, Order
from core.orders import Quote
from core.phones import display, is_mobile, to_e164
from core.sealing import blind


@dataclass(frozen=True)
class Standing:
    """Where a customer's points stand, for a screen, an SMS or the app."""

    points: int
    worth_xaf: int  # what they would take off food now
    tier: loyalty.Tier
    earned_recently: int  # over the tier's window
    next_tier: loyalty.Tier | None
    to_next: int  # points still to earn for it (0 at the top)
    point_value_xaf: int
    min_spend: int
    window_days: int
    movements: tuple[loyalty.Movement, ...]


async def standing(units: Units, account_id: int, *, movements: int = 10) -> Standing:
    rules = loyalty.rules()
    async with units.unit() as unit:
        points = await loyalty.balance(unit, account_id)
        earned = await loyalty.earned_recently(unit, account_id, rules)
        recent = await loyalty.recent(unit, account_id, movements) if movements else []
    tier = loyalty.tier_for(earned, rules)
    upper = loyalty.next_tier(tier, rules)
    return Standing(
        points=points, worth_xaf=points * rules.point_value_xaf, tier=tier, earned_recently=earned, next_tier=upper,
        to_next=max(upper.threshold - earned, 0) if upper else 0, point_value_xaf=rules.point_value_xaf,
        min_spend=rules.min_spend, window_days=rules.window_days, movements=tuple(recent),
    )


@dataclass(frozen=True)
class Offer:
    """The points a checkout offers to use on a basket (0: none offered) and what they take off."""

    held: int
    points: int
    xaf: int


async def offer(units: Units, account_id: int | None, quote: Quote) -> Offer:
    """What the customer could spend on this basket, to show before confirming."""
    if account_id is None:
        return Offer(0, 0, 0)
    rules = loyalty.rules()
    async with units.unit() as unit:
        held = await loyalty.balance(unit, account_id)
    points = loyalty.offer(quote, held, rules)
    return Offer(held, points, points * rules.point_value_xaf)




class InvitationRefused(BadInput):
    """A number we do not invite: `reason` is `own`, `customer`, `stopped` or `invited`."""

    code = "invitation_refused"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Invited:
    phone: str
    reward_points: int


INVITATION = N_("{who} invites you to Chopbar: order food from any phone. Dial {code} or text MENU here. "
                "Your first paid order gives you both {points} points.")


async def invite(units: Units, account_id: int, number: str, *, language: str, ussd_code: str) -> Invited:
    """INVITE <number>: the friend gets one SMS (in `language`, ours for a number we do not
    know), and both get the referral points once the friend's first order is paid.

    Refused: a number that is not a mobile, one's own, a number that has an account or orders
    already, one that said STOP, and a number invited before (by anyone: one reward per number).
    """
    phone = to_e164(number)
    if not is_mobile(phone):
        raise BadInput(f"{display(phone)} is not a mobile number")
    rules = loyalty.rules()
    async with units.unit() as unit:
        inviter = await unit.session.get(Account, account_id)
        if inviter is None:
            raise BadInput("this account no longer exists")
        if inviter.phone == phone:
            raise InvitationRefused("own", "you cannot invite your own number")
        friend = await unit.session.scalar(select(Account).where(Account.phone_key == blind(phone)))
        if friend is not None and friend.opted_out:
            raise InvitationRefused("stopped", f"{display(phone)} asked for no messages from Chopbar")
        if friend is not None or await unit.session.scalar(
            select(exists().where(Order.payer_phone_key == blind(phone)))
        ):
            raise InvitationRefused("customer", f"{display(phone)} knows Chopbar already")
        if await unit.session.scalar(select(exists().where(Invitation.phone_key == blind(phone)))):
            raise InvitationRefused("invited", f"{display(phone)} was invited already")
        try:
            async with unit.session.begin_nested():
                unit.session.add(Invitation(inviter_account_id=account_id, phone=phone, created_at=unit.now()))
        except IntegrityError:  # invited by someone else at the same moment
            raise InvitationRefused("invited", f"{display(phone)} was invited already") from None
        body = translate(INVITATION, language, who=display(inviter.phone), code=ussd_code, points=rules.referral_points)
        await outbox.enqueue(unit, phone, body, kind="loyalty.invitation", dedupe_key=f"invitation:{phone}", fresh=True)
    return Invited(phone, rules.referral_points)
