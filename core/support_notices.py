"""The texts support's work sends: tickets acknowledged and answered, drivers' applications decided,
orders voided or settled after a failed delivery. One GSM-7 segment where they can, in French too."""
from core.i18n import N_, translate
from core.models import Order

TICKET_RECEIVED = N_("Chopbar support got your message (ticket {ticket}). We will answer you by SMS soon.")
TICKET_ANSWER = N_("Chopbar support, ticket {ticket}: {text}")
TICKET_ANSWER_HOW = N_("Reply HELP <text> to answer.")
TICKET_TOO_LONG = N_("Your message is too long for support: please send at most {most} characters.")
TICKET_SOLVED = N_("Chopbar support: ticket {ticket} is solved. Send HELP <text> if you need us again.")

APPLICATION_RECEIVED = N_("Thank you {name}: your application to deliver in {quarter} is received. We will tell you by SMS.")
APPLICATION_PENDING = N_("Your driver application is being reviewed. We will tell you by SMS.")
APPLICATION_HOW = N_("To deliver for Chopbar send DRIVER <your name> <quarter>, e.g. DRIVER Paul Abena Bastos")
APPLICATION_NO_QUARTER = N_("We do not know the quarter in your message. Example: DRIVER Paul Abena Bastos")
ALREADY_DRIVER = N_("This number is already a Chopbar driver's. Send HELP for the keywords.")
CONSOLE_CANNOT_DRIVE = N_("This number is a restaurant's console: apply to deliver from your own phone.")
DRIVER_DECISIONS = {
    "approve": N_("Chopbar: you are approved as a driver. Send ON to get job offers, HELP for the keywords."),
    "refuse": N_("Chopbar: your driver application was not accepted ({reason})."),
    "suspend": N_("Chopbar: your driver account is suspended ({reason}). You get no job offers. SMS HELP <text> to talk to us."),
    "reactivate": N_("Chopbar: your driver account is active again. Send ON to get job offers."),
}
DRIVER_SUSPENDED = N_("Your driver account is suspended ({reason}): no job offers for now. SMS HELP <text> to talk to us.")


def ticket_received(ticket_id: int, language: str) -> str:
    return translate(TICKET_RECEIVED, language, ticket=ticket_id)


def ticket_answer(ticket_id: int, text: str, language: str) -> str:
    return f"{translate(TICKET_ANSWER, language, ticket=ticket_id, text=text)} {translate(TICKET_ANSWER_HOW, language)}"


def ticket_solved(ticket_id: int, language: str) -> str:
    return translate(TICKET_SOLVED, language, ticket=ticket_id)


def driver_decision(trigger: str, reason: str | None, language: str) -> str:
    return translate(DRIVER_DECISIONS[trigger], language, reason=reason or "-")


def driver_suspended(reason: str | None, language: str) -> str:
    return translate(DRIVER_SUSPENDED, language, reason=reason or "-")


def voided_for_customer(order: Order, reason: str, language: str) -> str:
    return translate(N_("Order {code} was cancelled by Chopbar support ({reason})."), language, code=order.code, reason=reason)


def voided_for_restaurant(order: Order, reason: str, language: str) -> str:
    return translate(N_("Order {code} was cancelled by Chopbar support ({reason}). Do not prepare it."), language,
                     code=order.code, reason=reason)


def voided_for_driver(order: Order, language: str) -> str:
    return translate(N_("Job {code} is cancelled by Chopbar support. Do not pick it up."), language, code=order.code)


def written_off(order: Order, language: str) -> str:
    return translate(N_("Order {code} could not be delivered and is closed."), language, code=order.code)


def resent_for_customer(order: Order, language: str) -> str:
    return translate(N_("We are sending order {code} again: a driver will bring it to you. A new code comes by SMS."),
                     language, code=order.code)


def resent_for_restaurant(order: Order, language: str) -> str:
    return translate(N_("Order {code} goes out again: a new driver will come for it."), language, code=order.code)
