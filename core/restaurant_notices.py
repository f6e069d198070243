"""The texts a restaurant's owner gets about its application, in the owner's language.

Written to fit one GSM-7 segment where they can; a refusal carries support's reason as given.
"""
from core.i18n import N_, translate
from core.models import Restaurant
from core.notices import national

APPROVED = N_("Chopbar: {restaurant} is approved and open to orders. New orders come by SMS to {phone}; reply HELP there for the keywords.")
REFUSED = N_("Chopbar: {restaurant} was not approved: {reason}. Correct your application in the app and send it again.")


def approved(restaurant: Restaurant, language: str) -> str:
    return translate(APPROVED, language, restaurant=restaurant.name, phone=national(restaurant.phone))


def refused(restaurant: Restaurant, reason: str, language: str) -> str:
    return translate(REFUSED, language, restaurant=restaurant.name, reason=reason)
