"""My account: the caller's loyalty points, their tier and what they are worth, and inviting a
friend by number (the friend gets an SMS; both get points on the friend's first paid order)."""
from core.errors import ChopbarError
from core.phones import display
from core.use_cases import loyalty
from menus.choices import Filled, Move, amount, static_choices
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen


async def my_account(h: Hopping) -> Filled:
    account = await h.account()
    got = await loyalty.standing(h.unit, account.id, movements=0)
    upper = (h.t(NEXT_TIER, points=got.to_next, tier=got.next_tier.name(h.state.language), days=got.window_days)
             if got.next_tier else "")
    values = {"points": got.points, "worth": amount(h, got.worth_xaf), "tier": got.tier.name(h.state.language), "next": upper}
    return Filled(values=values, choices=static_choices(h, ACCOUNT, {}))


async def typed_number(h: Hopping, text: str) -> Move:
    account = await h.account()
    try:
        done = await loyalty.invite(h.unit, account.id, text, language=h.default_language, ussd_code=h.ussd_code)
    except loyalty.InvitationRefused as refused:
        return Move(None, hint=f"invite_{refused.reason}")
    except ChopbarError:
        return Move(None, hint="invite_bad_number")
    h.state.known["invited"] = [done.phone, done.reward_points]
    return Move("send_invitation")


async def invited(h: Hopping) -> Filled:
    phone, points = h.state.known.get("invited", ["", 0])
    return Filled(values={"phone": display(phone) if phone else "", "points": points})


NEXT_TIER = N_("\n{points} more in {days} days: {tier}")
ACCOUNT = Screen(
    name="account",
    title=N_("My account\nPoints: {points} ({worth} off food)\nTier: {tier}{next}"),
    options=(Option("invite", N_("Invite a friend")),),
    fill=my_account,
)
INVITE_NUMBER = Screen(
    name="invite_number", title=N_("Invite a friend"), prompt=N_("Your friend's phone number:"), typed=typed_number,
)
INVITED = Screen(
    name="invited", title=N_("Invitation sent to {phone} by SMS. You both get {points} points after their first paid order."),
    end=True, fill=invited,
)
