"""The owner's SMS about an application fit one GSM-7 segment in both languages with typical values."""
from types import SimpleNamespace

import pytest

from core import restaurant_notices
from core.formatting import gsm7_safe, sms_segments

RESTAURANT = SimpleNamespace(name="Mama Africa Bonapriso", phone="+237677123456")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_approval_fits_one_segment_and_names_the_console_number(language):
    text = gsm7_safe(restaurant_notices.approved(RESTAURANT, language))
    assert sms_segments(text) == ("gsm7", 1), text
    assert "677123456" in text and RESTAURANT.name in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_refusal_with_a_short_reason_fits_one_segment(language):
    text = gsm7_safe(restaurant_notices.refused(RESTAURANT, "send photos of the kitchen", language))
    assert sms_segments(text) == ("gsm7", 1), text
    assert "send photos of the kitchen" in text
