"""The texts of messages the service sends about orders, in the reader's language.

Written to fit one GSM-7 segment (160 characters) where they can: plain ASCII quotes,
no typographic characters, French kept to GSM-7 letters (e, e grave, a grave are fine).
"""
from core.formatting import money
from core.i18n import N_, translate
from core.models import Order, Restaurant


def line_summary(order: Order, language: str) -> str:
    parts = []
    for line in order.lines:
        name = line.name_fr if language == "fr" else line.name_en
        parts.append(f"{line.quantity}x {name}")
    return ", ".join(parts)


def new_order_for_restaurant(order: Order, language: str) -> str:
    how = N_("delivery to {quarter}") if order.fulfilment == "delivery" else N_("pickup")
    return translate(
        N_("New order {code}: {lines}. Total {total}, {how}. Reply ACCEPT {code} [minutes] or REJECT {code} <reason>"),
        language,
        code=order.code,
        lines=line_summary(order, language),
        total=money(order.subtotal_xaf, language),
        how=translate(how, language, quarter=order.quarter_text),
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


def order_rejected(order: Order, restaurant: Restaurant, reason: str, language: str) -> str:
    return translate(
        N_("Sorry, {restaurant} could not take your order {code}: {reason}"),
        language,
        restaurant=restaurant.name,
        code=order.code,
        reason=reason,
    )


def order_ready(order: Order, restaurant: Restaurant, language: str) -> str:
    if order.fulfilment == "pickup":
        message = N_("Your order {code} is ready at {restaurant}. Come and collect it.")
    else:
        message = N_("Your order {code} is ready at {restaurant} and waits for a driver.")
    return translate(message, language, code=order.code, restaurant=restaurant.name)
