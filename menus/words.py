"""Short texts the dialog and its renderers show besides the screens' own: hints, navigation,
closing messages, and the words that lists are made of."""
from core.i18n import N_
from core.promotions import REFUSALS

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
    "suspended": N_("Your driver account is suspended: no job offers. SMS HELP <text> to talk to us."),
    **{f"promo_{reason}": text for reason, text in REFUSALS.items()},
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
    "promo_line": N_("Code {code} -{amount}"),
    "offer_discount": N_("Offer -{amount}"),
    "online": N_("online"),
    "offline": N_("offline"),
    "no_job": N_("You have no job now. Go online to get offers by SMS."),
    "job": N_("Order {code}: {status}\nPick up: {restaurant}, {landmark}\nDeliver: {quarter}, {where}"),
    "job_ASSIGNED": N_("go to the restaurant"),
    "job_AT_PICKUP": N_("at the restaurant"),
    "job_PICKED_UP": N_("deliver it now"),
}
