"""The texts of delivery messages: offers to drivers, word to restaurants, customers and support."""
from core.formatting import money
from core.i18n import N_, translate
from core.models import Account, Order, Restaurant


def first_name(account: Account) -> str:
    return (account.name or account.phone).split()[0]


def offer(order: Order, restaurant: Restaurant, fee_xaf: int, language: str) -> str:
    return translate(
        N_("Job {code}: pick up at {restaurant} ({pickup}), deliver to {quarter}. Fee {fee}. Reply TAKE {code}"),
        language, code=order.code, restaurant=restaurant.name, pickup=restaurant.quarter.name,
        quarter=order.quarter_text, fee=money(fee_xaf, language),
    )


def taken_by_someone_else(order: Order, language: str) -> str:
    return translate(N_("Job {code} was taken by another driver. Stay online for the next one."), language, code=order.code)


def assigned(order: Order, restaurant: Restaurant, language: str) -> str:
    return translate(
        N_("Job {code} is yours. Go to {restaurant}, {landmark}. Reply PICKUP {code} when you have the food."),
        language, code=order.code, restaurant=restaurant.name, landmark=restaurant.landmark,
    )


def driver_coming(order: Order, driver: Account, language: str) -> str:
    return translate(
        N_("Driver {name} ({phone}) is coming for order {code}."), language,
        name=first_name(driver), phone=driver.phone, code=order.code,
    )


def on_the_way(order: Order, driver: Account, language: str) -> str:
    return translate(
        N_("Order {code} is on the way with {name} ({phone}). Give this code to the driver on delivery: {handover}"),
        language, code=order.code, name=first_name(driver), phone=driver.phone, handover=order.handover_code,
    )


def picked_up_reply(order: Order, language: str) -> str:
    return translate(
        N_("Order {code} picked up. Deliver to {quarter}, {landmark}. At the door reply DONE {code} <customer code>"),
        language, code=order.code, quarter=order.quarter_text, landmark=order.landmark,
    )


def delivered(order: Order, language: str) -> str:
    return translate(N_("Order {code} delivered. Enjoy your meal, and thank you for using Chopbar!"), language, code=order.code)


def delivered_reply(order: Order, fee_xaf: int, language: str) -> str:
    return translate(N_("Order {code} delivered. {fee} added to your earnings."), language, code=order.code, fee=money(fee_xaf, language))


def wrong_code(order: Order, tries_left: int, language: str) -> str:
    return translate(
        N_("Wrong customer code for order {code}. Ask the customer again ({left} tries left)."),
        language, code=order.code, left=tries_left,
    )


SUPPORT = {
    "no_driver": N_("Support: no driver has taken order {code} ({restaurant}). Please find one."),
    "wrong_codes": N_("Support: {count} wrong customer codes for order {code}. Please call the customer and driver."),
    "failed": N_("Support: order {code} could not be delivered ({reason}). Please call the customer."),
}


def support_alert(order: Order, what: str, language: str, **values) -> str:
    return translate(SUPPORT[what], language, code=order.code, **values)


def no_driver(order: Order, language: str) -> str:
    return translate(
        N_("We are still looking for a driver for order {code}. Our team is on it and will call you."),
        language, code=order.code,
    )


def delivery_failed(order: Order, language: str) -> str:
    return translate(
        N_("The driver could not deliver order {code}. Our team will call you to sort it out."), language, code=order.code,
    )
