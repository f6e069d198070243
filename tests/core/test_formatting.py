"""Money shown the Cameroonian way per language, ASCII for USSD, GSM-7 for SMS, local clocks."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from core.formatting import clock_text, gsm7_safe, local_time, money, sms_segments, to_ascii

AMOUNTS = st.integers(min_value=-10**9, max_value=10**9)


def test_money_in_french_and_english():
    assert money(5000, "fr") == "5 000 FCFA"
    assert money(5000, "en") == "5,000 FCFA"
    assert money(12500, "fr") == "12 500 FCFA"
    assert money(1_250_000, "fr") == "1 250 000 FCFA"
    assert money(1_250_000, "en") == "1,250,000 FCFA"
    assert money(999, "fr") == "999 FCFA"
    assert money(0, "en") == "0 FCFA"


def test_a_refund_shows_a_plain_minus():
    assert money(-5000, "fr") == "-5 000 FCFA"


def test_a_regional_or_capitalised_language_tag_counts_as_its_language():
    assert money(5000, "en_CM") == money(5000, "EN") == "5,000 FCFA"


@settings(max_examples=100)
@given(AMOUNTS, st.sampled_from(["fr", "en"]))
def test_money_is_plain_ascii_that_reads_back_as_the_same_amount(amount, language):
    text = money(amount, language)
    assert text.isascii() and text.endswith(" FCFA")
    assert int(text.removesuffix(" FCFA").replace(" ", "").replace(",", "")) == amount


@pytest.mark.parametrize("amount", [5000.0, 5000.5, "5000", None, True])
def test_money_refuses_anything_but_an_int(amount):
    with pytest.raises(TypeError):
        money(amount, "fr")


def test_money_refuses_a_float_even_after_the_same_int_was_cached():
    money(5000, "fr")
    with pytest.raises(TypeError):
        money(5000.0, "fr")


def test_ascii_for_ussd_screens():
    assert to_ascii("Poisson braisé, Crêpes «ok» – fin…\nOù?") == 'Poisson braise, Crepes "ok" - fin...\nOu?'
    assert to_ascii("l’œuf — “frais” N° 3") == 'l\'oeuf - "frais" No 3'


@settings(max_examples=100)
@given(st.text(max_size=60))
def test_ascii_text_is_ascii_with_the_same_lines(text):
    out = to_ascii(text)
    assert out.isascii() and out.count("\n") == text.count("\n")


def test_gsm7_keeps_the_french_letters_it_carries_and_plains_the_rest():
    assert gsm7_safe("Poulet braisé à emporter, où? Très bien") == "Poulet braisé à emporter, où? Très bien"
    assert gsm7_safe("Crêpe, garçon, l’œuf «frais» – Âme… Ç") == 'Crepe, garcon, l\'oeuf "frais" - Ame... Ç'


@pytest.mark.parametrize("char", list("âêîôûëïÿœçÀÂÈÊËÎÏÔÙÛŒ’“”«»–…°`"))
def test_each_character_that_forces_ucs2_is_replaced(char):
    assert sms_segments(gsm7_safe(f"Prix {char} 500"))[0] == "gsm7"


@settings(max_examples=100)
@given(st.text(max_size=80))
def test_gsm7_safe_text_always_goes_as_gsm7_and_keeps_its_lines(text):
    safe = gsm7_safe(text)
    assert sms_segments(safe)[0] == "gsm7" and safe.count("\n") == text.count("\n")
    assert gsm7_safe(safe) == safe


@pytest.mark.parametrize(
    "text,expected",
    [("", ("gsm7", 1)), ("a" * 160, ("gsm7", 1)), ("a" * 161, ("gsm7", 2)), ("a" * 306, ("gsm7", 2)),
     ("a" * 307, ("gsm7", 3)), ("é" * 160, ("gsm7", 1)), ("€" * 80, ("gsm7", 1)), ("€" * 81, ("gsm7", 2)),
     ("a" * 159 + "[", ("gsm7", 2)), ("ê" * 70, ("ucs2", 1)), ("ê" * 71, ("ucs2", 2)), ("ê" * 134, ("ucs2", 2)),
     ("ê" * 135, ("ucs2", 3)), ("😀" * 35, ("ucs2", 1)), ("😀" * 36, ("ucs2", 2))],
)
def test_segments_follow_the_160_153_and_70_67_rules(text, expected):
    assert sms_segments(text) == expected


def test_an_escape_pair_is_not_split_across_parts():
    # 152 plain septets then "€" (2 septets) cannot fit the first 153-septet part
    assert sms_segments("a" * 152 + "€" + "a" * 10) == ("gsm7", 2)
    assert sms_segments("a" * 152 + "€" + "a" * 152) == ("gsm7", 3)  # 306 septets, yet 3 parts


def test_one_ucs2_character_sends_the_whole_message_as_ucs2():
    assert sms_segments("a" * 100 + "ç") == ("ucs2", 2)


def test_local_time_in_douala_is_one_hour_ahead_of_utc_all_year():
    for month in (1, 7):
        at = datetime(2025, month, 1, 13, 5, tzinfo=timezone.utc)
        local = local_time(at, "Africa/Douala")
        assert local == at and (local.hour, local.minute) == (14, 5)
        assert local.utcoffset() == timedelta(hours=1)


def test_a_naive_time_is_refused_because_times_are_aware_utc():
    with pytest.raises(ValueError):
        local_time(datetime(2025, 1, 1, 13, 5), "Africa/Douala")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_clock_reads_24_hours_in_both_languages(language):
    assert clock_text(datetime(2025, 3, 1, 13, 5, tzinfo=timezone.utc), language, "Africa/Douala") == "14:05"
    assert clock_text(datetime(2025, 3, 1, 23, 30, tzinfo=timezone.utc), language, "Africa/Douala") == "00:30"


def test_a_tab_becomes_a_space_and_other_control_characters_go_from_an_sms():
    assert gsm7_safe("1\tPoulet\x00\x07 DG\r\n") == "1 Poulet DG\r\n"
