"""Babel formatting for people: XAF amounts per language, ASCII and GSM-7 safe text, local clocks."""
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
from anyascii import anyascii
from babel.dates import format_time
from babel.numbers import format_decimal

LOCALES = {"fr": "fr_CM", "en": "en_CM"}
# anyascii spells these out (« → <<, N° → Ndeg); a keypad reader expects the plain mark
_PLAIN = str.maketrans({"«": '"', "»": '"', "‹": "'", "›": "'", "`": "'", "´": "'", "°": "o"})
_GSM7 = {"sms": 160, "part": 153}
_UCS2 = {"sms": 70, "part": 67}


def _locale(language: str) -> str:
    return LOCALES.get(language[:2].lower(), "fr_CM")


@lru_cache(maxsize=8192, typed=True)  # Babel is slow next to a hop; amounts repeat
def money(amount_xaf: int, language: str) -> str:
    """'5 000 FCFA' (fr) or '5,000 FCFA' (en), with plain spaces so USSD and GSM-7 carry it."""
    if not isinstance(amount_xaf, int) or isinstance(amount_xaf, bool):
        raise TypeError(f"money is an int number of XAF, not {type(amount_xaf).__name__}")
    number = format_decimal(amount_xaf, locale=_locale(language))
    return number.replace("\u202f", " ").replace("\xa0", " ") + " FCFA"


@lru_cache(maxsize=16384)  # a screen's labels repeat from caller to caller; anyascii reads each character
def to_ascii(text: str) -> str:
    """Plain ASCII for USSD screens: é→e, ’→', «»→", –→-, …→...; newlines kept."""
    return "\n".join(anyascii(line.translate(_PLAIN)) for line in text.split("\n"))


def _septets(text: str) -> int | None:
    """Septets the text takes in GSM-7 (extension characters take two), None if it cannot."""
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def _gsm7_char(ch: str) -> str:
    if _septets(ch) is not None:
        return ch
    # the backtick and the tab are ASCII but not GSM-7; other control characters just go
    plain = to_ascii(ch).replace("`", "'").replace("\t", " ")
    return "".join(c for c in plain if _septets(c) is not None)


def gsm7_safe(text: str) -> str:
    """Keeps what GSM-7 carries (é, è, à, ù stay), transliterates the rest (ê→e, ç→c, ’→')."""
    return "".join(_gsm7_char(ch) for ch in text)


def _parts(costs: list[int], limits: dict[str, int]) -> int:
    if sum(costs) <= limits["sms"]:
        return 1
    # a two-septet escape or a surrogate pair is never split across parts, so pack greedily
    parts, room = 1, limits["part"]
    for cost in costs:
        if cost > room:
            parts, room = parts + 1, limits["part"]
        room -= cost
    return parts


def sms_segments(text: str) -> tuple[str, int]:
    """('gsm7'|'ucs2', number of SMS parts): 160/153 septets, or 70/67 UTF-16 units."""
    if _septets(text) is not None:
        return "gsm7", _parts([_septets(ch) or 0 for ch in text], _GSM7)
    return "ucs2", _parts([2 if ord(ch) > 0xFFFF else 1 for ch in text], _UCS2)


def local_time(at_utc: datetime, tz: str) -> datetime:
    """The same instant on the wall clock of `tz` (Cameroon: Africa/Douala, UTC+1)."""
    if at_utc.tzinfo is None:
        raise ValueError("times are aware UTC; got a naive datetime")
    return at_utc.astimezone(ZoneInfo(tz))


def clock_text(at_utc: datetime, language: str, tz: str) -> str:
    """'14:05': the 24-hour clock in both languages, shorter than '2:05 PM' on a small screen."""
    return format_time(local_time(at_utc, tz), "HH:mm", locale=_locale(language))
