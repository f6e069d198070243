"""Phone numbers hidden in log text: `+2376****0001`, the country code and first digit kept, the last 4.

Cameroon's mobile numbers are found in every form people and gateways write them (`+237699000001`,
`237699000001`, `00237 699 00 00 01`, `699000001`, `6 99 00 00 01`); any other number in E.164
with its `+` too. Order codes (`CB-7K2Q`), amounts (`2500 FCFA`) and times have no 9-digit run
starting with 6, so they stay as they are.
"""
import re
from typing import Any

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

_SEP = r"[ .\-]?"
# A Cameroon mobile: 6 and eight more digits, each maybe after one space, dot or dash; maybe
# after 237, +237 or 00237. Not inside a longer run of digits.
_CAMEROON = re.compile(rf"(?<![\d+])(?:(?:\+|00)?237{_SEP})?(6(?:{_SEP}\d){{8}})(?!\d)")
_E164 = re.compile(r"(?<![\d+])\+(\d{8,15})(?!\d)")


def _cameroon(match: re.Match) -> str:
    national = re.sub(r"\D", "", match.group(1))
    return f"+2376****{national[-4:]}"


def _international(match: re.Match) -> str:
    digits = match.group(1)
    # Country codes are prefix-free: the first 1 to 3 digits that name one are it.
    size = next((n for n in (1, 2, 3) if int(digits[:n]) in COUNTRY_CODE_TO_REGION_CODE), 3)
    return f"+{digits[:size + 1]}****{digits[-4:]}"


def mask(text: str) -> str:
    """`text` with every phone number in it masked."""
    if not any(ch.isdigit() for ch in text):
        return text
    return _E164.sub(_international, _CAMEROON.sub(_cameroon, text))


def mask_value(value: Any) -> Any:
    """A log field's value with its numbers masked: strings, numbers that read as phones, and what
    dicts, lists and tuples hold; anything else as it is."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        shown = str(value)
        masked = mask(shown)
        return value if masked == shown else masked
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_value(item) for item in value)
    return value
