"""Babel formatting for people: XAF amounts per language, ASCII and GSM-7 safe text."""
from functools import lru_cache

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
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


def _gsm7_length(text: str) -> int | None:
    """Septets the text takes in GSM-7 (extension characters take two), None if it cannot."""
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def gsm7_safe(text: str) -> str:
    """Keeps what GSM-7 carries (é, è, à, ù stay), transliterates the rest (ê→e, ç→c, ’→')."""
    return "".join(ch if _gsm7_length(ch) is not None else anyascii(ch) for ch in text)


def sms_segments(text: str) -> tuple[str, int]:
    """('gsm7'|'ucs2', number of SMS parts): 160/153 septets, or 70/67 UCS-2 units."""
    septets = _gsm7_length(text)
    if septets is not None:
        return "gsm7", 1 if septets <= 160 else -(-septets // 153)
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return "ucs2", 1 if units <= 70 else -(-units // 67)
