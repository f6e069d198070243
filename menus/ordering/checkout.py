"""The summary of the basket (a promo code entered there), placing it as an order on Confirm,
and the screen that says so."""
from dataclasses import replace

from core.errors import ChopbarError
from core.promotions import PromoRefused
from core.use_cases import loyalty, ordering
from menus.choices import Choice, Filled, Move, amount, line_names, static_choices
from menus.hopping import Hopping
from menus.ordering.basket import basket, basket_quote
from menus.ordering.paying import payment_line
from menus.screen import N_, Option, Screen
from menus.words import MESSAGES, WORDS


async def _priced(h: Hopping):
    """The basket as it will be charged: with the accepted code (checked again: it may have run
    out since), else with the offer of the moment."""
    if h.state.promo:
        try:
            return await ordering.priced(h.unit, h.catalog, basket(h), account_id=h.account_id, tz=h.tz)
        except PromoRefused as refused:
            h.state.promo, h.state.hint = None, f"promo_{refused.reason}"
    return basket_quote(h)


def discount_line(h: Hopping, priced) -> str:
    if not priced.discount_xaf:
        return ""
    if priced.discount.code:
        return "\n" + h.t(WORDS["promo_line"], code=priced.discount.code, amount=amount(h, priced.discount_xaf))
    return "\n" + h.t(WORDS["offer_discount"], amount=amount(h, priced.discount_xaf))


async def summary(h: Hopping) -> Filled:
    priced = await _priced(h)
    offered = await loyalty.offer(h.unit, h.account_id, priced)
    using = offered.xaf if h.state.points and offered.points else 0  # all the basket can take, as offered
    fee = amount(h, priced.delivery_fee_xaf) if h.state.fulfilment == "delivery" else h.t(WORDS["pickup_fee"])
    values = {
        "lines": line_names(h, priced.lines), "subtotal": amount(h, priced.subtotal_xaf), "fee": fee,
        "discount": discount_line(h, priced), "points": h.t(POINTS_LINE, off=amount(h, using)) if using else "",
        "total": amount(h, priced.total_xaf - using), "payment": payment_line(h),
    }
    facts = {"can_use_points": bool(offered.points) and not using, "uses_points": bool(using)}
    return Filled(values=values, choices=static_choices(h, SUMMARY, facts, points=offered.points, off=amount(h, offered.xaf)))


async def pick_confirm(h: Hopping, choice: Choice) -> Move:
    """Confirm places the order (the summary's, or a reorder's); the points choices set what it
    spends; any other choice is its own trigger."""
    if choice.action == "use_points":
        h.state.points = (await loyalty.offer(h.unit, h.account_id, await _priced(h))).points
    elif choice.action == "no_points":
        h.state.points = 0
    return await place(h) if choice.action == "confirm" else Move(choice.action)


async def place(h: Hopping) -> Move:
    """Places the basket as an order; the session id makes a replayed confirm a no-op."""
    try:  # the use case checks everything before it writes: a refusal leaves nothing behind
        placed = await ordering.place(
            h.unit, h.catalog, basket(h), channel=h.hop.channel, origin_key=h.origin_key,
            orderer=ordering.Orderer(account_id=h.account_id, phone=h.hop.phone, language=h.state.language),
            terms=ordering.Terms(tz=h.tz, payment_window_s=h.payment_window_s, default_language=h.default_language),
        )
    except PromoRefused as refused:  # its last use went to someone else meanwhile: the summary shows the price without it
        h.state.promo = None
        return Move(None, hint=f"promo_{refused.reason}")
    except loyalty.NotEnoughPoints:  # spent on another channel since the summary showed them
        h.state.points = 0
        return Move(None, hint="points_gone")
    except ChopbarError:
        return Move(None, hint="order_failed")
    h.state.order_code, h.state.account_id, h.placed = placed.order.code, placed.account_id, placed.order
    h.after_commit.extend(placed.wakes)  # the prompt goes out once this hop has answered
    return Move("confirm")


async def typed_promo(h: Hopping, text: str) -> Move:
    """The code is checked as placing will check it; a refusal says why and asks again."""
    wanted = replace(basket(h), promo_code=text)
    try:
        priced = await ordering.priced(h.unit, h.catalog, wanted, account_id=h.account_id, tz=h.tz)
    except PromoRefused as refused:
        return Move(None, hint=f"promo_{refused.reason}")
    h.state.promo = priced.discount.code
    return Move("set_promo")


async def placed(h: Hopping) -> Filled:
    order = h.placed or await h.chosen_order()
    restaurant = h.catalog.restaurant(order.restaurant_id)
    if order.payment_method == "cash":
        text = MESSAGES["placed_cash" if order.fulfilment == "delivery" else "placed_pickup"]
    else:
        text = MESSAGES["placed_mobile"]
    message = h.t(
        text, code=order.code, restaurant=restaurant.name, total=amount(h, order.total_xaf),
        phone=order.payer_phone,
    )
    return Filled(values={"message": message})


POINTS_LINE = N_("\nPoints -{off}")
SUMMARY = Screen(
    name="summary",
    title=N_("{lines}\nFood {subtotal}\nDelivery {fee}{discount}{points}\nTotal {total}\n{payment}"),
    options=(
        Option("confirm", N_("Confirm")),
        Option("use_points", N_("Use {points} points (-{off})"), shown_if="can_use_points"),
        Option("no_points", N_("Pay without points"), shown_if="uses_points"),
        Option("abandon", N_("Cancel")),
        Option("promo", N_("Promo code")),
    ),
    fill=summary,
    pick=pick_confirm,
)
PROMO_CODE = Screen(name="promo_code", title=N_("Promo code"), prompt=N_("Type the code:"), typed=typed_promo)
PLACED = Screen(name="placed", title="{message}", end=True, fill=placed)
