"""Loyalty points: earned on what is paid, spent as XAF off the food, given back or taken back
when an order is not served or is refunded, and given for a friend's first paid order.

Every change is a `LoyaltyMovement` row written with the balance (`Account.loyalty_points`) in
one transaction, so the balance is always the sum of the rows. A balance moves by one guarded
UPDATE (`loyalty_points + n >= 0`): two channels spending the same points at once, one wins.
"""
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from core import outbox
from core.db import Unit
from core.errors import BadInput
from core.i18n import N_, translate
from core.models import Account, Invitation, LoyaltyMovement, Order
from core.phones import display
from core.sealing import blind

if TYPE_CHECKING:  # core.orders moves orders through here: a runtime import would be a cycle
    from core.orders import Quote

EARN, SPEND, GIVE_BACK, TAKE_BACK, REFERRAL, OPENING = "earn", "spend", "give_back", "take_back", "referral", "opening"
# What counts towards a tier: points earned in the window, less those taken back. Spending
# does not lower a tier.
TIER_KINDS = (EARN, REFERRAL, TAKE_BACK)
MIN_PAYABLE_XAF = 100  # points never pay a whole order: mobile money takes no zero prompt
REFERRAL_REWARDED = N_("Your friend {phone} paid their first Chopbar order: {points} points for you. Send POINTS for your balance.")


@dataclass(frozen=True)
class Tier:
    """A level of loyalty: reached with `threshold` points over the window, it earns
    `earn_percent` of the base points (125: a quarter more)."""

    name_en: str
    name_fr: str
    threshold: int
    earn_percent: int = 100

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


DEFAULT_TIERS = (Tier("Bronze", "Bronze", 0, 100), Tier("Silver", "Argent", 300, 125), Tier("Gold", "Or", 1000, 150))


@dataclass(frozen=True)
class LoyaltyRules:
    """The programme's figures (settings `CHOPBAR_LOYALTY_*`)."""

    xaf_per_point: int = 100  # paid to earn one point (at the first tier)
    point_value_xaf: int = 5  # what one point takes off the food
    min_spend: int = 100  # the fewest points spent at once
    window_days: int = 90  # the tier counts the points earned over this many days
    tiers: tuple[Tier, ...] = DEFAULT_TIERS  # by threshold, lowest first; the first at 0
    referral_points: int = 200  # to the inviter and to the friend, on the friend's first paid order


_rules = LoyaltyRules()


def configure(rules: LoyaltyRules) -> None:
    """The process's rules, set once by the composition root from the settings: payments earn
    points deep inside provider callbacks and deliveries, where no channel passes them."""
    global _rules
    _rules = rules


def rules() -> LoyaltyRules:
    return _rules


class NotEnoughPoints(BadInput):
    code = "not_enough_points"


def tier_for(earned: int, rules_: LoyaltyRules) -> Tier:
    reached = [t for t in rules_.tiers if earned >= t.threshold]
    return reached[-1] if reached else rules_.tiers[0]


def next_tier(tier: Tier, rules_: LoyaltyRules) -> Tier | None:
    higher = [t for t in rules_.tiers if t.threshold > tier.threshold]
    return higher[0] if higher else None


async def balance(unit: Unit, account_id: int) -> int:
    return int(await unit.session.scalar(select(Account.loyalty_points).where(Account.id == account_id)) or 0)


async def earned_recently(unit: Unit, account_id: int, rules_: LoyaltyRules) -> int:
    """Points earned over the tier's window, less those taken back."""
    since = unit.now() - timedelta(days=rules_.window_days)
    total = await unit.session.scalar(
        select(func.coalesce(func.sum(LoyaltyMovement.points), 0)).where(
            LoyaltyMovement.account_id == account_id, LoyaltyMovement.kind.in_(TIER_KINDS),
            LoyaltyMovement.created_at >= since,
        )
    )
    return max(int(total), 0)


async def _change(unit: Unit, account_id: int, points: int) -> int | None:
    """Adds `points` (negative: takes them) unless the balance would go below zero; the new
    balance, or None when it would."""
    return await unit.session.scalar(
        update(Account)
        .where(Account.id == account_id, Account.loyalty_points + points >= 0)
        .values(loyalty_points=Account.loyalty_points + points)
        .returning(Account.loyalty_points)
        .execution_options(synchronize_session=False)
    )


def _row(unit: Unit, account_id: int, kind: str, points: int, order_id: int | None) -> None:
    unit.session.add(LoyaltyMovement(account_id=account_id, order_id=order_id, kind=kind, points=points, created_at=unit.now()))


async def _move(unit: Unit, account_id: int, kind: str, points: int, order_id: int | None) -> None:
    if points and await _change(unit, account_id, points) is not None:
        _row(unit, account_id, kind, points, order_id)


def most_usable(quote: "Quote", held: int, rules_: LoyaltyRules) -> int:
    """The most points this basket can take: never more than the food (after other discounts),
    never the whole order, never more than the customer holds."""
    off_food = quote.discount_xaf if quote.discount is not None and not quote.discount.free_delivery else 0
    food = quote.subtotal_xaf - off_food  # what the food still costs, before points
    room = max(0, min(food, quote.total_xaf - MIN_PAYABLE_XAF))
    return min(held, room // rules_.point_value_xaf)


def priced_with(quote: "Quote", points: int, rules_: LoyaltyRules) -> "Quote":
    return replace(quote, points_spent=points, points_xaf=points * rules_.point_value_xaf)


def offer(quote: "Quote", held: int, rules_: LoyaltyRules) -> int:
    """The points a checkout screen offers to use: all it can take, when that is at least the
    least one may spend; else 0 (nothing offered)."""
    usable = most_usable(quote, held, rules_)
    return usable if usable >= rules_.min_spend else 0


async def spend_on(unit: Unit, account_id: int, quote: "Quote", points: int, rules_: LoyaltyRules) -> "Quote":
    """Takes `points` (at most what the basket can take) from the balance now, in the placing
    transaction, and returns the quote with them off; refused below the least one may spend
    or beyond the balance. The movement row waits for the order's id (`spent`)."""
    priced = checked(quote, points, await balance(unit, account_id), rules_)
    if await _change(unit, account_id, -priced.points_spent) is None:  # spent elsewhere since the read
        raise NotEnoughPoints(f"points: you no longer have {priced.points_spent}")
    return priced


def checked(quote: "Quote", points: int, held: int, rules_: LoyaltyRules) -> "Quote":
    """The quote with `points` off (at most what the basket can take), refused below the least
    one may spend or beyond the balance `held`: what pricing shows and placing takes alike."""
    if points < rules_.min_spend:
        raise BadInput(f"points: spend at least {rules_.min_spend}")
    if points > held:
        raise NotEnoughPoints(f"points: you have {held}, not {points}")
    usable = most_usable(quote, held, rules_)
    if min(points, usable) < rules_.min_spend:
        raise BadInput(f"points: this order can take {usable} points, fewer than the {rules_.min_spend} one may spend")
    return priced_with(quote, min(points, usable), rules_)


def spent(unit: Unit, account_id: int, order_id: int, points: int) -> None:
    """The spending row of a placed order, once it has its id."""
    _row(unit, account_id, SPEND, -points, order_id)


async def unspend(unit: Unit, account_id: int, points: int) -> None:
    """Puts back points taken for an order that was not written after all (a replay placed it)."""
    await _change(unit, account_id, points)


async def _of_order(unit: Unit, order_id: int) -> dict[str, int]:
    rows = await unit.session.execute(
        select(LoyaltyMovement.kind, func.sum(LoyaltyMovement.points))
        .where(LoyaltyMovement.order_id == order_id).group_by(LoyaltyMovement.kind)
    )
    return {kind: int(total) for kind, total in rows}


async def earn(unit: Unit, order: Order, paid_xaf: int) -> int:
    """Points for what the customer paid for an order, at their tier's rate, once per order;
    the friend's first paid order also rewards the invitation. Returns the points earned."""
    rules_ = rules()
    if EARN in await _of_order(unit, order.id):
        return 0
    tier = tier_for(await earned_recently(unit, order.account_id, rules_), rules_)
    points = paid_xaf // rules_.xaf_per_point * tier.earn_percent // 100
    await _move(unit, order.account_id, EARN, points, order.id)
    await _reward_invitation(unit, order, rules_)
    return points


async def _reward_invitation(unit: Unit, order: Order, rules_: LoyaltyRules) -> None:
    phone = await unit.session.scalar(select(Account.phone).where(Account.id == order.account_id))
    invitation = await unit.session.scalar(
        select(Invitation).where(Invitation.phone_key == blind(phone), Invitation.rewarded_at.is_(None)).with_for_update()
    )
    if invitation is None:
        return
    invitation.rewarded_at, invitation.order_id = unit.now(), order.id
    await _move(unit, invitation.inviter_account_id, REFERRAL, rules_.referral_points, order.id)
    await _move(unit, order.account_id, REFERRAL, rules_.referral_points, order.id)
    inviter = await unit.session.get(Account, invitation.inviter_account_id)
    if inviter is not None and rules_.referral_points:  # the friend hears of it with their payment
        body = translate(REFERRAL_REWARDED, inviter.language, phone=display(phone), points=rules_.referral_points)
        await outbox.enqueue(unit, inviter.phone, body, kind="loyalty.referral", dedupe_key=f"referral:{invitation.id}",
                             fresh=True)


async def called_off(unit: Unit, order: Order) -> None:
    """An order that will not be served (cancelled, rejected, expired, voided, written off):
    the points it spent come back, the points it earned go.

    Earned points already spent on other orders are taken back as far as the balance goes, never
    below zero; the rest is let go (the customer is not asked to pay points back).
    """
    await _settle_back(unit, order, give=True, take_share=(1, 1))


async def refunded(unit: Unit, order: Order, amount_xaf: int, *, paid_xaf: int, everything: bool) -> None:
    """Support gives back `amount_xaf` of the `paid_xaf` an order's payment took: that share of
    its earned points goes; a refund of everything left also gives its spent points back."""
    await _settle_back(unit, order, give=everything, take_share=(1, 1) if everything else (amount_xaf, max(paid_xaf, 1)))


async def _settle_back(unit: Unit, order: Order, *, give: bool, take_share: tuple[int, int]) -> None:
    done = await _of_order(unit, order.id)
    if give:
        owed = -done.get(SPEND, 0) - done.get(GIVE_BACK, 0)
        await _move(unit, order.account_id, GIVE_BACK, owed, order.id)
    earned = done.get(EARN, 0) + done.get(TAKE_BACK, 0)  # what is still counted as earned
    share, whole = take_share
    wanted = min(earned, done.get(EARN, 0) * share // whole) if whole else 0
    if wanted > 0:
        held = await balance(unit, order.account_id)
        await _move(unit, order.account_id, TAKE_BACK, -min(wanted, held), order.id)


@dataclass(frozen=True)
class Movement:
    kind: str
    points: int
    order_code: str | None
    at: datetime


async def recent(unit: Unit, account_id: int, limit: int = 10) -> list[Movement]:
    rows = await unit.session.execute(
        select(LoyaltyMovement.kind, LoyaltyMovement.points, Order.code, LoyaltyMovement.created_at)
        .outerjoin(Order, Order.id == LoyaltyMovement.order_id)
        .where(LoyaltyMovement.account_id == account_id)
        .order_by(LoyaltyMovement.id.desc()).limit(limit)
    )
    return [Movement(kind, points, code, at) for kind, points, code, at in rows]


async def ledger_sum(unit: Unit, account_id: int) -> int:
    """The sum of an account's movements: always its balance."""
    total = await unit.session.scalar(
        select(func.coalesce(func.sum(LoyaltyMovement.points), 0)).where(LoyaltyMovement.account_id == account_id)
    )
    return int(total)
