"""The main menu and what a session learns to show it, help, and the goodbye that ends a session."""
from core.use_cases import ordering
from menus.account.second_chance import offered_code
from menus.browsing.marks import learn_favourites
from menus.browsing.places import saved_quarters
from menus.choices import Choice, Filled, Move, static_choices
from menus.hopping import Hopping
from menus.ordering.reorder import load_reorder
from menus.screen import N_, Option, Screen


async def learn_history(h: Hopping) -> None:
    """Once per session: the last order, its second chance to pay, the usual order, favourites and
    saved quarters the menus offer."""
    h.state.known = {"started": 1}
    if h.account_id is None:
        return
    history = await ordering.history(h.unit, h.account_id)
    h.state.known["near"] = await saved_quarters(h)
    await learn_favourites(h)
    if history.retry_until is not None:  # kept with its deadline: the main menu needs no database to show it
        h.state.known["retry"] = [history.last.code, history.retry_until.isoformat()]
    last = history.last
    if last is not None:
        first = last.lines[0]
        h.state.known["last"] = [last.code, first.name_en, first.name_fr, last.restaurant_id]
    if history.usual is not None:
        order = history.usual.order
        first = order.lines[0]
        h.state.known["usual"] = [order.code, first.name_en, first.name_fr, first.quantity, len(order.lines) - 1,
                                  order.restaurant_id]


def _usual_label(h: Hopping, usual: list) -> str:
    """'Ndole x2 - Chez Maman Ngo', '+1' when the basket holds more dishes."""
    _code, name_en, name_fr, quantity, more, restaurant_id = usual
    more_dishes = f" +{more}" if more else ""
    return f"{name_fr if h.state.language == 'fr' else name_en} x{quantity}{more_dishes} - {h.catalog.restaurant(restaurant_id).name}"


async def home(h: Hopping) -> Filled:
    last = h.state.known.get("last")
    usual = h.state.known.get("usual")
    label = ""
    if last is not None:
        code, name_en, name_fr, restaurant_id = last
        restaurant = h.catalog.restaurant(restaurant_id)
        label = f"{name_fr if h.state.language == 'fr' else name_en} ({restaurant.name})"
    retry_code = offered_code(h)
    facts = {
        "can_resume": h.resumable is not None, "has_retry_offer": retry_code is not None,
        # the last order, unless it is the usual one: one line says it
        "has_past_order": last is not None and (usual is None or usual[0] != last[0]),
        "has_usual": usual is not None,
    }
    return Filled(choices=static_choices(
        h, HOME, facts, last_order=label, retry_code=retry_code, usual=_usual_label(h, usual) if usual else "",
    ))


async def pick_home(h: Hopping, choice: Choice) -> Move:
    if choice.action == "resume":
        saved = h.resumable or {}
        for key in ("restaurant_id", "lines", "fulfilment", "address", "payment", "payer", "city", "quarter_id"):
            setattr(h.state, key, saved.get(key))
        h.state.lines = h.state.lines or []
        return Move("resume")
    if choice.action == "finish_order":
        h.state.order_code = offered_code(h)
        return Move("finish_order") if h.state.order_code else Move(None, hint="wrong_key")
    if choice.action in ("reorder", "usual"):  # the usual is a past order too: reordered as any other
        known = h.state.known.get("last" if choice.action == "reorder" else "usual")
        last = await ordering.customer_order(h.unit, h.account_id, known[0]) if known else None
        if last is None:
            return Move(None, hint="no_orders")
        await load_reorder(h, last)
        return Move("reorder")
    return Move(choice.action)


async def help_screen(h: Hopping) -> Filled:
    return Filled(values={"code": h.ussd_code})


HOME = Screen(
    name="home",
    title=N_("Chopbar: what would you like?"),
    options=(
        Option("finish_order", N_("Pay for order {retry_code}"), shown_if="has_retry_offer"),
        Option("resume", N_("Continue your order"), shown_if="can_resume"),
        Option("usual", N_("Your usual: {usual}"), shown_if="has_usual"),
        Option("reorder", N_("Reorder {last_order}"), shown_if="has_past_order"),
        Option("order", N_("Order food")),
        Option("orders", N_("My orders")),
        Option("account", N_("My account")),
        Option("favourites", N_("Favourites")),
        Option("language", "Language/Langue"),
        Option("help", N_("Help")),
        Option("talk", N_("Talk to us")),
    ),
    back=False,
    fill=home,
    pick=pick_home,
)
HELP = Screen(
    name="help",
    title=N_("Chopbar: dial {code} to order food. SMS HELP to get the keywords. Pay cash or mobile money."),
    fill=help_screen,
)
GOODBYE = Screen(name="goodbye", title=N_("Thank you. See you soon on Chopbar!"), end=True)
