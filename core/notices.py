"""The texts of messages the service sends about orders, in the reader's language.

Written to fit one GSM-7 segment (160 characters) where they can: plain ASCII quotes,
no typographic characters, French kept to GSM-7 letters (e, e grave, a grave are fine).
"""
from core.formatting import money
from core.i18n import N_, translate
from core.models import Order, Payment, Restaurant


def line_summary(order: Order, language: str) -> str:
    parts = []
    for line in order.lines:
        name = line.name_fr if language == "fr" else line.name_en
        parts.append(f"{line.quantity}x {name}")
    return ", ".join(parts)


def new_order_for_restaurant(order: Order, language: str) -> str:
    how = N_("delivery to {quarter}") if order.fulfilment == "delivery" else N_("pickup")
    return translate(
        N_("New order {code}: {lines}. Food {total}, {how}. Reply ACCEPT {code} [minutes] or REJECT {code} <reason>"),
        language,
        code=order.code,
        lines=line_summary(order, language),
        total=money(order.subtotal_xaf, language),
        how=translate(how, language, quarter=order.quarter_text),
    )


def auto_accepted_for_restaurant(order: Order, language: str) -> str:
    """AUTO ON: the order is accepted already; the console hears what to cook and by when."""
    how = N_("delivery to {quarter}") if order.fulfilment == "delivery" else N_("pickup")
    return translate(
        N_("Order {code} accepted (AUTO): {lines}. Food {total}, {how}, in {minutes} min. Reply READY {code} when ready"),
        language,
        code=order.code,
        lines=line_summary(order, language),
        total=money(order.subtotal_xaf, language),
        how=translate(how, language, quarter=order.quarter_text),
        minutes=order.ready_in_minutes,
    )


def order_cancelled_for_restaurant(order: Order, language: str) -> str:
    return translate(N_("Order {code} was cancelled by the customer. Do not prepare it."), language, code=order.code)


def order_accepted(order: Order, restaurant: Restaurant, language: str) -> str:
    if order.ready_in_minutes:
        return translate(
            N_("{restaurant} accepted your order {code}. Ready in about {minutes} min."),
            language,
            restaurant=restaurant.name,
            code=order.code,
            minutes=order.ready_in_minutes,
        )
    return translate(
        N_("{restaurant} accepted your order {code}. We will tell you when it is ready."),
        language,
        restaurant=restaurant.name,
        code=order.code,
    )


PAY_NOTHING = N_("You pay nothing.")


def national(phone: str) -> str:
    """'677123456': how people write a Cameroonian number, and 4 characters shorter than E.164."""
    return phone.removeprefix("+237")


def refund_promise(payment: Payment, language: str) -> str:
    """How and when a refund owed reaches the customer: the worker sends it back at once to
    where the money came from (the paying number, or the card), and an SMS confirms it."""
    amount = money(payment.refund_due_xaf or payment.amount_xaf - payment.refunded_xaf, language)
    if payment.method == "card":
        return translate(N_("Your {amount} goes back to your card now; SMS to follow."), language, amount=amount)
    return translate(
        N_("Your {amount} goes back to {phone} by mobile money now; SMS to follow."),
        language, amount=amount, phone=national(payment.payer_phone or ""),
    )


def _and_refund(text: str, refund: Payment | None, language: str) -> str:
    if refund is None:
        return f"{text} {translate(PAY_NOTHING, language)}"
    return f"{text} {refund_promise(refund, language)}"


def order_rejected(order: Order, restaurant: Restaurant, reason: str, refund: Payment | None, language: str) -> str:
    """The restaurant said no: the order is cancelled, and a paid one is refunded (how, when)."""
    text = translate(
        N_("Order {code} cancelled: {restaurant} refused it ({reason})."),
        language, code=order.code, restaurant=restaurant.name, reason=reason,
    )
    return _and_refund(text, refund, language)


def cancelled_by_you(order: Order, refund: Payment | None, language: str) -> str:
    """What a customer who cancelled reads: and, when they had paid, how the money comes back."""
    text = translate(N_("Order {code} is cancelled."), language, code=order.code)
    return f"{text} {refund_promise(refund, language)}" if refund is not None else text


def order_ready(order: Order, restaurant: Restaurant, language: str) -> str:
    if order.fulfilment == "pickup":
        message = N_("Your order {code} is ready at {restaurant}. Come and collect it.")
    else:
        message = N_("Your order {code} is ready at {restaurant} and waits for a driver.")
    return translate(message, language, code=order.code, restaurant=restaurant.name)


def order_collected(order: Order, restaurant: Restaurant, language: str) -> str:
    return translate(N_("Order {code} collected at {restaurant}. Enjoy your meal, and thank you for using Chopbar!"),
                     language, code=order.code, restaurant=restaurant.name)


def pay_for_someone(order: Order, customer, language: str) -> str:
    return translate(
        N_("Chopbar: {name} asks you to pay {total} for order {code}. Approve the prompt on your phone to pay."),
        language, name=customer.name or customer.phone, total=money(order.total_xaf, language), code=order.code,
    )


def prompt_sent_to(order: Order, phone: str, language: str) -> str:
    return translate(
        N_("We sent the payment request of {total} for order {code} to {phone}. The order goes ahead once they approve."),
        language, total=money(order.total_xaf, language), code=order.code, phone=phone,
    )


def payment_received(order: Order, language: str) -> str:
    return translate(
        N_("Payment of {total} received for order {code}. The restaurant has it now."),
        language, total=money(order.total_xaf, language), code=order.code,
    )


def payment_failed(order: Order, language: str) -> str:
    return translate(
        N_("The payment for order {code} was declined, so the order is cancelled. Nothing was taken."),
        language, code=order.code,
    )


def payment_expired(order: Order, language: str) -> str:
    return translate(
        N_("The payment for order {code} was not approved in time, so the order is cancelled. Nothing was taken."),
        language, code=order.code,
    )


def payment_retry_offered(order: Order, *, declined: bool, minutes: int, ussd_code: str, language: str) -> str:
    """The one SMS of a second chance: reply 1 to be prompted again, 2 to pay cash, or dial."""
    if declined:
        what = translate(N_("Payment for order {code} was declined."), language, code=order.code)
    else:
        what = translate(N_("Payment for order {code} was not approved in time."), language, code=order.code)
    if order.fulfilment == "pickup":
        choose = N_("Reply 1 to try again or 2 to pay cash at the counter, within {minutes} min. Or dial {ussd}")
    else:
        choose = N_("Reply 1 to try again or 2 to pay cash on delivery, within {minutes} min. Or dial {ussd}")
    return f"{what} {translate(choose, language, minutes=minutes, ussd=ussd_code)}"


def late_payment_refunded(order: Order, refund: Payment, language: str) -> str:
    if order.payment_method == "cash":  # a second chance taken as cash: the order goes on, unpaid
        text = translate(N_("Your payment for order {code} came after you chose to pay cash."), language, code=order.code)
    else:
        text = translate(N_("Your payment for order {code} came after the order was closed."), language, code=order.code)
    return f"{text} {refund_promise(refund, language)}"


def refund_sent(order: Order, payment: Payment, amount_xaf: int, via: str, language: str) -> str:
    if via != "provider":
        message = N_("Refund of {amount} for order {code} credited to your Chopbar wallet.")
    elif payment.method == "card":
        message = N_("Refund of {amount} for order {code} sent to your card.")
    else:
        message = N_("Refund of {amount} for order {code} sent to your mobile money account.")
    return translate(message, language, amount=money(amount_xaf, language), code=order.code)


def reminder_for_restaurant(order: Order, timeout_s: int, language: str) -> str:
    return translate(
        N_("Reminder: order {code} waits for your answer, {minutes} min left. Reply ACCEPT {code} or REJECT {code} <reason>"),
        language, code=order.code, minutes=max(timeout_s // 120, 1),
    )


def order_expired(order: Order, restaurant: Restaurant, refund: Payment | None, language: str) -> str:
    if refund is None:
        message = N_("{restaurant} did not answer in time, so order {code} is cancelled. Sorry! Dial again to order elsewhere.")
        return translate(message, language, restaurant=restaurant.name, code=order.code)
    text = translate(N_("{restaurant} did not answer in time, so order {code} is cancelled."), language,
                     restaurant=restaurant.name, code=order.code)
    return f"{text} {refund_promise(refund, language)}"


def order_expired_for_restaurant(order: Order, language: str) -> str:
    return translate(N_("Order {code} expired without an answer and is cancelled. Do not prepare it."), language, code=order.code)
