"""An export shows no one else's number: those in message texts are masked, the person's own kept."""
import pytest

from core.use_cases.personal_data import masked, others_masked


@pytest.mark.parametrize("text,shown", [
    ("Order 482137 is on the way with Brice (6 70 00 00 11). Code: 4821", "Order 482137 is on the way with Brice (+237******011). Code: 4821"),
    ("INVITE 690123456", "INVITE +237******456"),
    ("Refund of 12 500 FCFA to 6 99 00 00 01", "Refund of 12 500 FCFA to 6 99 00 00 01"),  # their own number stays
    ("Total 1 000 000 FCFA, order 482137", "Total 1 000 000 FCFA, order 482137"),
])
def test_an_export_masks_every_number_in_a_text_but_the_persons_own(text, shown):
    assert others_masked(text, "+237699000001") == shown


def test_a_masked_number_keeps_the_country_and_the_last_three_digits():
    assert masked("+237677123456") == "+237******456"
