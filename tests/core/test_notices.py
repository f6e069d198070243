"""Customer notices of a cancelled order or a second chance fit one GSM-7 segment in both languages,
filled with long typical values (the longest demo restaurant name, a 5-digit amount)."""
from types import SimpleNamespace

import pytest

from core import notices
from core.formatting import gsm7_safe, sms_segments

ORDER = SimpleNamespace(code="482137", fulfilment="delivery", payment_method="mtn")
PICKUP = SimpleNamespace(code="482137", fulfilment="pickup", payment_method="mtn")
SWITCHED = SimpleNamespace(code="482137", fulfilment="delivery", payment_method="cash")
RESTAURANT = SimpleNamespace(name="Mama Africa Bonapriso")
MOMO = SimpleNamespace(method="orange", refund_due_xaf=12_500, amount_xaf=12_500, refunded_xaf=0, payer_phone="+237699123456")
CARD = SimpleNamespace(method="card", refund_due_xaf=12_500, amount_xaf=12_500, refunded_xaf=0, payer_phone=None)

TEXTS = {
    "rejected, paid by mobile money": lambda lang: notices.order_rejected(ORDER, RESTAURANT, "plus de poulet", MOMO, lang),
    "rejected, paid by card": lambda lang: notices.order_rejected(ORDER, RESTAURANT, "plus de poulet", CARD, lang),
    "rejected, cash": lambda lang: notices.order_rejected(ORDER, RESTAURANT, "plus de poulet", None, lang),
    "restaurant silent, paid": lambda lang: notices.order_expired(ORDER, RESTAURANT, MOMO, lang),
    "restaurant silent, cash": lambda lang: notices.order_expired(ORDER, RESTAURANT, None, lang),
    "cancelled by the customer, paid": lambda lang: notices.cancelled_by_you(ORDER, MOMO, lang),
    "payment declined": lambda lang: notices.payment_failed(ORDER, lang),
    "payment expired": lambda lang: notices.payment_expired(ORDER, lang),
    "late payment": lambda lang: notices.late_payment_refunded(ORDER, MOMO, lang),
    "late payment after cash": lambda lang: notices.late_payment_refunded(SWITCHED, MOMO, lang),
    "second chance, declined": lambda lang: notices.payment_retry_offered(ORDER, declined=True, minutes=15, ussd_code="*384*2468#", language=lang),
    "second chance, expired, pickup": lambda lang: notices.payment_retry_offered(
        PICKUP, declined=False, minutes=15, ussd_code="*384*2468#", language=lang),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("what", list(TEXTS))
def test_each_notice_fits_one_gsm7_segment(what, language):
    text = gsm7_safe(TEXTS[what](language))
    assert sms_segments(text) == ("gsm7", 1), f"{what} ({language}, {len(text)} chars): {text}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_refund_names_where_the_money_goes(language):
    assert "699123456" in notices.refund_promise(MOMO, language)
    assert ("card" if language == "en" else "carte") in notices.refund_promise(CARD, language)
    assert "12" in notices.refund_promise(MOMO, language)


def test_a_partly_refunded_payment_promises_what_is_left():
    partly = SimpleNamespace(method="mtn", refund_due_xaf=0, amount_xaf=12_500, refunded_xaf=2_500, payer_phone="+237677123456")
    assert "10,000 FCFA" in notices.refund_promise(partly, "en")
