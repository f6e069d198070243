"""The grammar of a rating reply, by SMS or WhatsApp text:

    5                  both the restaurant and the driver 5 stars
    4 3                the restaurant 4, the driver 3
    4 cold food        both 4, with a comment
    4 3 cold food      the restaurant 4, the driver 3, with a comment
    NOTE 4 / RATE 4    the same with the keyword first (on WhatsApp it is needed mid-dialog)

Stars are 1 to 5, written `4`, `4/5` or `4*`; what follows them, as typed (accents kept), is
the comment. For a pickup there is no driver: a second number is ignored.
"""
import re

from anyascii import anyascii

from core.feedback import Stars

KEYWORDS = ("RATE", "NOTE", "NOTER")  # as in menus.keywords.CUSTOMER["rate"]
_KEYWORD = re.compile(r"^\s*(?:" + "|".join(KEYWORDS) + r")(?![A-Z0-9])[\s:,.-]*", re.IGNORECASE)
_STAR = re.compile(r"([1-5])(?:\s*/\s*5|\s*\*+)?(?=$|[\s,;:.!?-])")
_SEPARATORS = " \t\r\n,;:.-"
_NUMBER_FIRST = re.compile(r"^\s*\d")


def _keyword_off(text: str) -> tuple[str, bool]:
    found = _KEYWORD.match(anyascii(text or ""))
    if found is None:
        return text or "", False
    return (text or "")[found.end():], True  # anyascii keeps the keyword's length: it is ASCII


def read(text: str) -> Stars | None:
    """The stars and comment of a reply, None when it does not read as a rating."""
    rest, _ = _keyword_off(text)
    rest = rest.lstrip(_SEPARATORS)
    first = _STAR.match(rest)
    if first is None:
        return None
    rest = rest[first.end():].lstrip(_SEPARATORS)
    second = _STAR.match(rest)
    if second is not None:
        rest = rest[second.end():].lstrip(_SEPARATORS)
    return Stars(int(first.group(1)), int(second.group(1)) if second else None, rest.strip())


def meant_as_rating(text: str) -> bool:
    """Starts with the keyword or a number: a rating, even when it does not read as one (`7`, `NOTE super`)."""
    return _keyword_off(text)[1] or bool(_NUMBER_FIRST.match(text or ""))
