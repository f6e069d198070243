"""Every screen of the customer dialog, declared once; USSD, SMS and WhatsApp render them.

`SCREENS` is the one place the engine finds a screen, its texts and its handlers. The screens
of browsing are declared whole in `menus.browsing`; the others are declared here, and their
handlers, written in `channels.dialogs` (checkout, my orders, the driver's menu, a second
chance to pay), attach themselves to them by name with `fills`, `picks` and `types`.
"""
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from menus.browsing.dishes import CHOICE, DISHES, QUANTITY
from menus.browsing.places import PLACES, QUARTER_INPUT
from menus.browsing.restaurants import CATEGORIES, RESTAURANTS
from menus.choices import Choice
from menus.hopping import Hopping
from menus.screen import N_, Option, Screen

HOME = Screen(
    name="home",
    title=N_("Chopbar: what would you like?"),
    options=(
        Option("finish_order", N_("Pay for order {retry_code}"), shown_if="has_retry_offer"),
        Option("resume", N_("Continue your order"), shown_if="can_resume"),
        Option("reorder", N_("Reorder {last_order}"), shown_if="has_past_order"),
        Option("order", N_("Order food")),
        Option("orders", N_("My orders")),
        Option("language", "Language/Langue"),
        Option("help", N_("Help")),
    ),
    back=False,
)
BASKET = Screen(
    name="basket",
    title=N_("Basket: {count} item(s), {subtotal}"),
    options=(
        Option("checkout", N_("Checkout")),
        Option("add_more", N_("Add more")),
        Option("empty", N_("Empty basket")),
    ),
)
FULFILMENT = Screen(
    name="fulfilment",
    title=N_("Delivery or pickup?"),
    options=(
        Option("deliver", N_("Deliver to me")),
        Option("pickup", N_("I collect it ({restaurant})")),
    ),
)
ADDRESSES = Screen(name="addresses", title=N_("Deliver where?"), lists="addresses")
ADDRESS_QUARTER = Screen(name="address_quarter", title=N_("New address"), prompt=N_("Your quarter (e.g. Biyem-Assi):"))
ADDRESS_LANDMARK = Screen(
    name="address_landmark", title=N_("Quarter: {quarter}"), prompt=N_("A landmark near you (e.g. behind Total):")
)
PAYMENT = Screen(name="payment", title=N_("How will you pay {total}?"), lists="payments")
PAYER = Screen(
    name="payer",
    title=N_("{method}: pay from which number?"),
    options=(Option("this_number", N_("This number")), Option("other_number", N_("Another number"))),
)
PAYER_NUMBER = Screen(name="payer_number", title="{method}", prompt=N_("Number that pays (e.g. 677123456):"))
SUMMARY = Screen(
    name="summary",
    title=N_("{lines}\nFood {subtotal}\nDelivery {fee}\nTotal {total}\n{payment}"),
    options=(Option("confirm", N_("Confirm")), Option("abandon", N_("Cancel"))),
)
PLACED = Screen(name="placed", title="{message}", end=True)
ORDERS = Screen(name="orders", title=N_("My orders:"), lists="orders")
ORDER_DETAIL = Screen(
    name="order_detail",
    title=N_("Order {code} {restaurant}\n{status}\nTotal {total}"),
    options=(Option("cancel_order", N_("Cancel this order"), shown_if="can_cancel"),),
)
CANCEL_CONFIRM = Screen(
    name="cancel_confirm",
    title=N_("Cancel order {code}?"),
    options=(Option("confirm_cancel", N_("Yes, cancel it")), Option("keep", N_("No, keep it"))),
)
CANCELLED = Screen(name="cancelled", title="{message}", end=True)
PAY_AGAIN = Screen(
    name="pay_again",
    title=N_("Order {code}: the payment of {total} did not go through. {minutes} min left to choose:"),
    options=(
        Option("try_again", N_("Try {method} again")),
        Option("pay_cash", N_("Cash on delivery"), shown_if="is_delivery"),
        Option("pay_cash", N_("Cash at the counter"), shown_if="is_pickup"),
    ),
)
PAID_AGAIN = Screen(name="paid_again", title="{message}", end=True)
REORDER = Screen(
    name="reorder",
    title=N_("{restaurant}: {lines}\nTotal {total}\n{payment}"),
    options=(Option("confirm", N_("Confirm")), Option("change", N_("Change"))),
)
LANGUAGE = Screen(
    name="language",
    title="Language/Langue",
    options=(Option("en", "English"), Option("fr", "Francais")),
)
HELP = Screen(
    name="help",
    title=N_("Chopbar: dial {code} to order food. SMS HELP to get the keywords. Pay cash or mobile money."),
)
DRIVER_HOME = Screen(
    name="driver_home",
    title=N_("Chopbar driver {name}: {state}"),
    options=(
        Option("toggle_online", N_("Go offline"), shown_if="is_online"),
        Option("toggle_online", N_("Go online"), shown_if="is_offline"),
        Option("my_job", N_("My current job")),
        Option("my_earnings", N_("My earnings")),
        Option("language", "Language/Langue"),
    ),
    back=False,
)
DRIVER_JOB = Screen(
    name="driver_job",
    title=N_("{job}"),
    options=(
        Option("got_food", N_("I have the food"), shown_if="can_pick_up"),
        Option("enter_code", N_("Delivered: enter the customer code"), shown_if="can_hand_over"),
    ),
)
DRIVER_CODE = Screen(name="driver_code", title=N_("Order {code}"), prompt=N_("The customer's 4-digit code:"))
DRIVER_EARNINGS = Screen(name="driver_earnings", title=N_("Today: {today_jobs} jobs, {today}\nThis week: {week_jobs} jobs, {week}"))
GOODBYE = Screen(name="goodbye", title=N_("Thank you. See you soon on Chopbar!"), end=True)

SCREENS = {
    s.name: s
    for s in (
        HOME, PLACES, QUARTER_INPUT, RESTAURANTS, CATEGORIES, DISHES, CHOICE, QUANTITY, BASKET,
        FULFILMENT, ADDRESSES, ADDRESS_QUARTER, ADDRESS_LANDMARK, PAYMENT, PAYER, PAYER_NUMBER,
        SUMMARY, PLACED, ORDERS, ORDER_DETAIL, CANCEL_CONFIRM, CANCELLED, PAY_AGAIN, PAID_AGAIN, REORDER, LANGUAGE, HELP,
        GOODBYE, DRIVER_HOME, DRIVER_JOB, DRIVER_CODE, DRIVER_EARNINGS,
    )
}



def _attach(handler: str, *names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            SCREENS[name] = replace(SCREENS[name], **{handler: fn})
        return fn

    return register


def fills(name: str):
    """Makes the function the filler of the screen `name` (see menus.screen)."""
    return _attach("fill", name)


def picks(*names: str):
    return _attach("pick", *names)


def types(name: str):
    return _attach("typed", name)


def static_choices(h: Hopping, facts: dict[str, bool], **values: Any) -> list[Choice]:
    """The fixed options of the current screen that apply, translated."""
    return [
        Choice(h.t(option.label, **values) if values else h.t(option.label), option.name)
        for option in SCREENS[h.state.screen].options
        if option.shown_if is None or facts.get(option.shown_if)
    ]
