"""Texts to support and driver applications by SMS: `HELP <text>` from anyone opens or joins a
ticket (HELP alone is still the keyword help); `DRIVER <name> <quarter>` applies to deliver."""
from core.catalog import Catalog
from core.db import Unit
from core.errors import BadInput, Conflict
from core.i18n import translate
from core.support_notices import (
    APPLICATION_HOW, APPLICATION_NO_QUARTER, APPLICATION_PENDING, APPLICATION_RECEIVED, TICKET_TOO_LONG,
)
from core.tickets import MAX_TEXT
from core.use_cases import helpdesk, staffing
from menus.keywords import Command, after_keyword

LONGEST_QUARTER = 3  # words a quarter's name may take at the end of an application


def wants_support(command: Command | None, text: str) -> str | None:
    """The message to support in a HELP with text, None for HELP alone (or another keyword)."""
    if command is None or command.name != "help" or not command.args:
        return None
    return after_keyword(text) or None


async def ask_support(unit: Unit, asker: helpdesk.Asker, message: str, channel: str) -> str:
    """The ticket's acknowledgement, which the reply to the text carries."""
    try:
        asked = await helpdesk.ask_for_help(unit, asker, message, channel=channel, acknowledge_by_sms=False)
    except BadInput:  # too long: an SMS keeps far less, but a chat may not
        return translate(TICKET_TOO_LONG, asker.language, most=MAX_TEXT)
    return asked.acknowledgement


async def apply_to_drive(unit: Unit, catalog: Catalog, phone: str, text: str, language: str, channel: str) -> str:
    """DRIVER <name> <quarter>: the quarter is the last one to three words the gazetteer knows."""
    words = after_keyword(text).split()
    if len(words) < 2:
        return translate(APPLICATION_HOW, language)
    for size in range(min(LONGEST_QUARTER, len(words) - 1), 0, -1):
        quarter = catalog.gazetteer.match(" ".join(words[-size:]))
        if quarter is not None:
            break
    else:
        return translate(APPLICATION_NO_QUARTER, language)
    name = " ".join(words[:-size])
    try:
        await staffing.apply(unit, catalog.gazetteer, phone, name=name, city=quarter.city, quarters=[quarter.name],
                             language=language, channel=channel)
    except Conflict:
        return translate(APPLICATION_PENDING, language)
    except BadInput:
        return translate(APPLICATION_HOW, language)
    return translate(APPLICATION_RECEIVED, language, name=name.split()[0], quarter=quarter.name)
