"""The main menu and what a session learns to show it, help, and the goodbye that ends a session."""
from core.use_cases import ordering
from menus.account.second_chance import offered_code
from menus.browsing.places import saved_quarters
from menus.choices import Choice, Filled, Move, static_choices
from menus.hopping import Hopping
from menus.ordering.reorder import load_reorder
from menus.screen import N_, Option, Screen


async def learn_history(h: Hopping) -> None:
    """Once per session: the last order, its second chance to pay, and saved quarters the menus offer."""
    h.state.known = {"started": 1}
    if h.account_id is None:
        return
    history = await ordering.history(h.unit, h.account_id)
    h.state.known["near"] = await saved_quarters(h)
    if history.retry_until is not None:  # kept with its deadline: the main menu needs no database to show it
        h.state.known["retry"] = [history.last.code, history.retry_until.isoformat()]
    last = history.last
    if last is not None:
        first = last.lines[0]
        h.state.known["last"] = [last.code, first.name_en, first.name_fr, last.restaurant_id]


async def home(h: Hopping) -> Filled:
    last = h.state.known.get("last")
    label = ""
    if last is not None:
        code, name_en, name_fr, restaurant_id = last
        restaurant = h.catalog.restaurant(restaurant_id)
        label = f"{name_fr if h.state.language == 'fr' else name_en} ({restaurant.name})"
    retry_code = offered_code(h)
    facts = {
        "can_resume": h.resumable is not None, "has_past_order": last is not None,
        "has_retry_offer": retry_code is not None,
    }
    return Filled(choices=static_choices(h, HOME, facts, last_order=label, retry_code=retry_code))


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
    if choice.action == "reorder":
        known = h.state.known.get("last")
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
        Option("reorder", N_("Reorder {last_order}"), shown_if="has_past_order"),
        Option("order", N_("Order food")),
        Option("orders", N_("My orders")),
        Option("account", N_("My account")),
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
