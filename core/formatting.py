"""Babel formatting for people: XAF amounts per language, ASCII and GSM-7 safe text."""
from functools import lru_cache

from anyascii import anyascii
from babel.numbers import format_decimal

LOCALES = {"fr": "fr_CM", "en": "en_CM"}


@lru_cache(maxsize=8192, typed=True)  # Babel is slow next to a hop; amounts repeat
def money(amount_xaf: int, language: str) -> str:
    if not isinstance(amount_xaf, int) or isinstance(amount_xaf, bool):
        raise TypeError("money is an int number of XAF")
    number = format_decimal(amount_xaf, locale=LOCALES.get(language, "fr_CM"))
    return number.replace("\u202f", " ").replace("\xa0", " ") + " FCFA"


def to_ascii(text: str) -> str:
    return "\n".join(anyascii(line) for line in text.split("\n"))
