"""Money shown the Cameroonian way per language, ASCII for USSD, never from a float."""
import pytest

from core.formatting import money, to_ascii


def test_money_in_french_and_english():
    assert money(5000, "fr") == "5 000 FCFA"
    assert money(5000, "en") == "5,000 FCFA"
    assert money(12500, "fr") == "12 500 FCFA"
    assert money(0, "en") == "0 FCFA"


def test_money_refuses_floats_even_after_the_same_int():
    money(5000, "fr")
    with pytest.raises(TypeError):
        money(5000.0, "fr")


def test_ascii_for_ussd_screens():
    assert to_ascii("Poisson braisé, Crêpes «ok» – fin…\nOù?") == 'Poisson braise, Crepes <<ok>> - fin...\nOu?'
