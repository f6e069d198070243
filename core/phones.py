"""Phone numbers: E.164 at the edge with libphonenumber, and Cameroon's operator prefixes."""
from functools import lru_cache

import phonenumbers

from core.errors import BadInput

# Prefixes after +237 (libphonenumber carrier data). Numbers are portable between
# operators, so this is only a hint: the payment provider's answer has the last word.
OPERATORS = {
    "mtn": ("650", "651", "652", "653", "654", "67", "680", "681", "682", "683"),
    "orange": ("655", "656", "657", "658", "659", "686", "687", "688", "689", "69", "640", "641", "642"),
    "nexttel": ("66", "684", "685"),
    "camtel": ("62", "242", "243"),
}


@lru_cache(maxsize=65536)  # parsing is slow next to a USSD hop; numbers repeat
def to_e164(raw: str, region: str = "CM") -> str:
    text = (raw or "").strip()
    for prefix in ("whatsapp:", "tel:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix):].strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("00"):
        text = "+" + digits[2:]
    elif digits.startswith("237") and len(digits) == 12 and not text.startswith("+"):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise BadInput(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise BadInput(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def operator_of(phone: str) -> str | None:
    if not phone.startswith("+237"):
        return None
    national = phone[4:]
    for operator, prefixes in OPERATORS.items():
        if national.startswith(prefixes):
            return operator
    return None


def is_mobile(phone: str) -> bool:
    number = phonenumbers.parse(phone)
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def msisdn(phone: str) -> str:
    """'2376XXXXXXXX': country code, no plus, as MTN MoMo and CamPay want it."""
    return phone.removeprefix("+")


def display(phone: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL)
