"""A customer's text answering a rating request (`5`, `4 3 cold food`, `NOTE 4`), by SMS or as
WhatsApp text: read by menus.rating_reply, rated by core.use_cases.rating, answered in one line.

A bare `1` or `2` answers a second chance to pay first, while one stands (menus.keywords);
otherwise a number-led text rates the newest order waiting for a rating. While one waits, a text
the grammar cannot read gets the rating help rather than the generic one.
"""
from core.errors import BadInput, NotFound
from core.feedback import RatingClosed
from core.i18n import translate
from core.rating_notices import ALREADY, CLOSED, HELP, NONE_WAITING, THANKS, THANKS_BOTH
from core.use_cases import rating
from menus import rating_reply
from menus.keywords import Command

SECOND_CHANCE_WORDS = ("retry", "cash")  # what a bare 1 or 2 parses as


async def answer(
    units, *, account_id: int, restaurant_name, command: Command | None, text: str, language: str, channel: str,
    window_s: int, any_text: bool = True,
) -> str | None:
    """The reply to a rating answer, or None when the text is not one (the rest of the grammar
    answers it). `any_text`: a text that is no keyword at all counts as an attempt while a
    request waits (SMS); a chat passes False, its dialog taking free text."""
    keyword = command is not None and command.name == "rate"
    stars = rating_reply.read(text)
    attempt = keyword or rating_reply.meant_as_rating(text) or (any_text and command is None)
    if not attempt or (command is not None and not keyword and command.name not in SECOND_CHANCE_WORDS):
        return None
    if command is not None and command.name in SECOND_CHANCE_WORDS and _names_an_order(command):
        return None  # `1 482137`: the second chance's own form, answered as such even once it lapsed
    found = await rating.waiting(units, account_id)
    if command is not None and command.name in SECOND_CHANCE_WORDS and found.second_chance:
        return None
    asked = found.rating
    if asked is None:
        return translate(NONE_WAITING, language) if keyword else None
    if stars is None:
        return translate(HELP, language, code=asked.order_code)
    try:
        rated = await rating.rate(units, account_id=account_id, code=asked.order_code, stars=stars, channel=channel,
                                  window_s=window_s)
    except RatingClosed as closed:
        if closed.why == "rated":
            return translate(ALREADY, language, code=closed.rating.order_code)
        return translate(CLOSED, language, code=closed.rating.order_code, hours=max(window_s // 3600, 1))
    except (BadInput, NotFound):
        return translate(HELP, language, code=asked.order_code)
    name = restaurant_name(rated.restaurant_id)
    if rated.has_driver:
        return translate(THANKS_BOTH, language, code=rated.order_code, restaurant=name, stars=rated.restaurant_stars,
                         driver=rated.driver_stars)
    return translate(THANKS, language, code=rated.order_code, restaurant=name, stars=rated.restaurant_stars)


def _names_an_order(command: Command) -> bool:
    return len(command.args) == 1 and len(command.args[0]) == 6 and command.args[0].isdigit()
