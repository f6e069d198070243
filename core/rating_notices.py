"""The texts of ratings: the request after a delivery or a pickup, the answers to a rating reply,
and a restaurant's answer to a comment. Each fits one GSM-7 segment with the longest demo names."""
from core.i18n import N_, translate

ASK_DELIVERY = N_("How was order {code}? Rate {restaurant} then the driver, 1 to 5, a comment if you like. Reply e.g. 5 or 4 3 cold food")
ASK_PICKUP = N_("How was order {code}? Rate {restaurant} 1 to 5, a comment if you like. Reply e.g. 5 or 4 cold food")
THANKS_BOTH = N_("Thank you! Order {code}: {restaurant} {stars}/5, driver {driver}/5.")
THANKS = N_("Thank you! Order {code}: {restaurant} {stars}/5.")
HELP = N_("To rate order {code}, reply 1 to 5 for the restaurant, then the driver, and a comment if you like: 5, or 4 3 cold food")
NONE_WAITING = N_("No order is waiting for your rating.")
ALREADY = N_("Order {code} is rated already. Thank you!")
CLOSED = N_("Order {code} can no longer be rated: ratings close {hours} h after delivery.")
ANSWERED = N_("{restaurant} on your comment about order {code}: {answer}")


def asked(code: str, restaurant: str, *, has_driver: bool, language: str) -> str:
    return translate(ASK_DELIVERY if has_driver else ASK_PICKUP, language, code=code, restaurant=restaurant)


def answered(code: str, restaurant: str, answer: str, language: str) -> str:
    return translate(ANSWERED, language, code=code, restaurant=restaurant, answer=answer)
