"""Every screen of the customer dialog, declared once; USSD, SMS and WhatsApp render them."""
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
PLACES = Screen(name="places", title=N_("Where should we look?"), lists="places")
QUARTER_INPUT = Screen(name="quarter_input", title=N_("Restaurants near you"), prompt=N_("Type your quarter (e.g. Bastos):"))
RESTAURANTS = Screen(name="restaurants", title=N_("Restaurants {where}:"), lists="restaurants")
CATEGORIES = Screen(name="categories", title="{restaurant}", lists="categories")
DISHES = Screen(name="dishes", title="{category}", lists="dishes")
CHOICE = Screen(name="choice", title="{dish}: {group}", lists="choices")
QUANTITY = Screen(name="quantity", title="{dish} {price}", prompt=N_("How many? (1-20)"))
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

# Short texts the dialog and renderers use besides the screens.
HINTS = {
    "wrong_key": N_("Wrong choice. Try again:"),
    "no_more": N_("No more pages."),
    "closed": N_("This restaurant is closed now."),
    "sold_out": N_("Sold out today."),
    "bad_quantity": N_("Type a number from 1 to 20."),
    "unknown_quarter": N_("Quarter not found, try again or pick a city."),
    "too_short": N_("Too short, please type more."),
    "bad_phone": N_("Not a valid Cameroon number."),
    "choose_required": N_("Please choose one."),
    "no_orders": N_("You have no orders yet."),
    "basket_empty": N_("Your basket is empty."),
    "order_failed": N_("Sorry, this order cannot be placed now (closed or sold out)."),
    "not_cancellable": N_("Too late to cancel: the restaurant has accepted."),
    "wrong_handover": N_("Wrong code. Ask the customer again."),
    "not_ready": N_("The food is not ready yet."),
}
NAV = {"more": N_("More"), "back": N_("Back"), "home": N_("Home"), "choose": N_("Choose")}
# Whole messages that the closing screens show: an order placed, cancelled, or its payment chosen again.
MESSAGES = {
    "placed_cash": N_("Order {code} sent to {restaurant}. Pay {total} in cash when it arrives. We will SMS you when it is accepted."),
    "placed_pickup": N_("Order {code} sent to {restaurant}. Pay {total} when you collect it. We will SMS you when it is accepted."),
    "placed_mobile": N_("Order {code}: approve the payment of {total} on {phone} now. {restaurant} gets it once paid."),
    "restaurant_told": N_("The restaurant has been told."),
    "pay_again_lapsed": N_("Too late: the time to pay order {code} is over, so it is cancelled."),
    "pay_again_waiting": N_("The payment request for order {code} is on its way. Approve it on your phone."),
    "order_status": N_("Order {code}: {status}."),
}
WORDS = {
    "closed": N_("closed"),
    "sold_out": N_("sold out"),
    "continue": N_("Continue"),
    "no_thanks": N_("No, thanks"),
    "new_address": N_("New address"),
    "near": N_("Near {quarter}"),
    "type_quarter": N_("Type my quarter"),
    "in_city": N_("in {city}"),
    "near_quarter": N_("near {quarter}"),
    "cash": N_("Cash on delivery"),
    "cash_pickup": N_("Cash at the counter"),
    "mtn": N_("MTN Mobile Money"),
    "orange": N_("Orange Money"),
    "pay_cash": N_("Pay: cash"),
    "pay_mobile": N_("Pay: {method} {phone}"),
    "pickup_fee": N_("Pickup"),
    "online": N_("online"),
    "offline": N_("offline"),
    "no_job": N_("You have no job now. Go online to get offers by SMS."),
    "job": N_("Order {code}: {status}\nPick up: {restaurant}, {landmark}\nDeliver: {quarter}, {where}"),
    "job_ASSIGNED": N_("go to the restaurant"),
    "job_AT_PICKUP": N_("at the restaurant"),
    "job_PICKED_UP": N_("deliver it now"),
}
