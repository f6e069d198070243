"""Phone numbers: E.164 at the edge with libphonenumber, and Cameroon's operator prefixes."""
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from core.errors import BadInput

# Prefixes after +237, from libphonenumber 9.0.43's carrier data (PROTOCOLS.md section 9).
OPERATORS = {
    "mtn": ("650", "651", "652", "653", "654", "67", "680", "681", "682", "683"),
    "orange": ("655", "656", "657", "658", "659", "686", "687", "688", "689", "69", "640", "641", "642"),
    "nexttel": ("66", "684", "685"),
    "camtel": ("62", "242", "243"),
}
_SCHEMES = ("whatsapp:", "tel:")  # Twilio writes WhatsApp senders as "whatsapp:+237..."


@lru_cache(maxsize=65536)  # parsing is slow next to a USSD hop; numbers repeat
def to_e164(raw: str, region: str = "CM") -> str:
    """'+2376XXXXXXXX' from the ways people and gateways write a number; BadInput otherwise."""
    text = (raw or "").strip()
    for scheme in _SCHEMES:
        if text.lower().startswith(scheme):
            text = text[len(scheme):].strip()
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if text.startswith("00"):
        text = "+" + digits[2:]
    elif digits.startswith("237") and len(digits) == 12 and not text.startswith("+"):
        # gateways and providers send "2376..." without the plus, and a form-encoded "+" arrives as a space
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise BadInput(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise BadInput(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def operator_of(phone: str) -> str | None:
    """'mtn', 'orange', 'nexttel' or 'camtel' by prefix, None if none fits.

    Only a hint: Cameroon is a number-portable region, so a number may have moved to another
    operator. Prefer the operator named in the payment provider's answer (its `operator`).
    """
    if not phone.startswith("+237"):
        return None
    national = phone[4:]
    for operator, prefixes in OPERATORS.items():
        if national.startswith(prefixes):
            return operator
    return None


def _parse(phone: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return None


def is_mobile(phone: str) -> bool:
    """Whether an E.164 number can take an SMS or a mobile-money prompt (Camtel 242/243 counts)."""
    number = _parse(phone)
    return number is not None and phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def msisdn(phone: str) -> str:
    """'2376XXXXXXXX': country code, no plus, as mobile-money providers want it."""
    return phone.removeprefix("+")


def display(phone: str) -> str:
    """'6 99 12 34 56' for a Cameroonian number, '+33 6 12 34 56 78' for a foreign one."""
    number = _parse(phone)
    if number is None:
        return phone
    style = PhoneNumberFormat.NATIONAL if number.country_code == 237 else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
