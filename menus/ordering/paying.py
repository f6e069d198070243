"""How the order is paid: the method (the caller's own operator first) and the number that pays."""
from core.errors import ChopbarError
from core.phones import operator_of, to_e164
from menus.choices import Choice, Filled, Move, amount, static_choices
from menus.hopping import Hopping
from menus.ordering.basket import basket_quote
from menus.screen import N_, Option, Screen
from menus.words import WORDS


def methods_for(h: Hopping) -> list[str]:
    """Mobile money first, the caller's own operator before the other (a hint: numbers move)."""
    methods = list(h.payment_methods)
    own = operator_of(h.hop.phone)
    if own in methods:
        methods.remove(own)
        methods.insert(0, own)
    return methods


def method_name(h: Hopping) -> str:
    return h.t(WORDS[h.state.payment or "cash"])


def payment_line(h: Hopping) -> str:
    """How the basket will be paid, as the summary and a reorder say it."""
    if h.state.payment in (None, "cash"):
        return h.t(WORDS["pay_cash"])
    return h.t(WORDS["pay_mobile"], method=method_name(h), phone=h.state.payer or h.hop.phone)


async def payment(h: Hopping) -> Filled:
    priced = basket_quote(h)
    choices = []
    for method in methods_for(h):
        word = "cash_pickup" if method == "cash" and h.state.fulfilment == "pickup" else method
        choices.append(Choice(h.t(WORDS[word]), "pick_payment", method))
    return Filled(values={"total": amount(h, priced.total_xaf)}, choices=choices)


async def pick_payment(h: Hopping, choice: Choice) -> Move:
    h.state.payment, h.state.payer = choice.value, None
    return Move("pick_payment")


async def payer(h: Hopping) -> Filled:
    return Filled(values={"method": method_name(h)}, choices=static_choices(h, PAYER, {}))


async def pick_payer(h: Hopping, choice: Choice) -> Move:
    h.state.payer = h.hop.phone if choice.action == "this_number" else None
    return Move(choice.action)


async def payer_number(h: Hopping) -> Filled:
    return Filled(values={"method": method_name(h)})


async def typed_payer(h: Hopping, text: str) -> Move:
    try:
        h.state.payer = to_e164(text)
    except ChopbarError:
        return Move(None, hint="bad_phone")
    return Move("set_payer")


PAYMENT = Screen(
    name="payment", title=N_("How will you pay {total}?"), lists="payments", fill=payment, pick=pick_payment,
)
PAYER = Screen(
    name="payer",
    title=N_("{method}: pay from which number?"),
    options=(Option("this_number", N_("This number")), Option("other_number", N_("Another number"))),
    fill=payer,
    pick=pick_payer,
)
PAYER_NUMBER = Screen(
    name="payer_number", title="{method}", prompt=N_("Number that pays (e.g. 677123456):"),
    fill=payer_number, typed=typed_payer,
)
