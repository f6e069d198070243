"""Phone numbers in log text come out as `+2376****1234`, in whatever form they were written."""
import pytest
from hypothesis import given, strategies as st

from chopbar.phone_masks import mask, mask_value

pytestmark = pytest.mark.unit

NATIONAL = st.from_regex(r"6[2-9][0-9]{7}", fullmatch=True)
# Around a number: any text without digits or a plus, so nothing can join the number.
AROUND = st.text(st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="+"), max_size=40)


def forms(national: str) -> list[str]:
    spaced = " ".join([national[0], national[1:3], national[3:5], national[5:7], national[7:9]])
    return [
        f"+237{national}", f"237{national}", f"00237{national}", national, spaced, f"+237 {spaced}",
        f"{national[:3]} {national[3:6]} {national[6:]}", "-".join([national[:3], national[3:5], national[5:7], national[7:]]),
    ]


@given(national=NATIONAL, before=AROUND, after=AROUND, which=st.integers(0, 7))
def test_a_cameroon_mobile_in_any_form_inside_text_comes_out_masked(national, before, after, which):
    written = forms(national)[which]
    masked = mask(f"{before} {written} {after}")
    assert masked == f"{before} +2376****{national[-4:]} {after}"
    assert national not in masked.replace("****", "")


@given(AROUND)
def test_text_without_numbers_is_unchanged(text):
    assert mask(text) == text


@pytest.mark.parametrize("text", [
    "order CB-7K2Q placed", "2500 FCFA", "12 500 FCFA", "total 1 250 000 FCFA", "code 482137 accepted",
    "2026-12-01T23:10:33.123+00:00", "took 1234.5 ms", "order 6990000012 (ten digits)", "ref 1699000001",
])
def test_order_codes_amounts_and_times_are_not_masked(text):
    assert mask(text) == text


def test_other_countries_in_e164_keep_their_country_code_and_first_digit():
    assert mask("from +33612345678 and +14155550123") == "from +336****5678 and +14****0123"


def test_field_values_are_masked_inside_dicts_lists_and_numbers():
    fields = {"phone": "237699000001", "to": ["699000002", "CB-7K2Q"], "msisdn": 699000003, "amount_xaf": 2500, "ok": True}
    assert mask_value(fields) == {"phone": "+2376****0001", "to": ["+2376****0002", "CB-7K2Q"], "msisdn": "+2376****0003",
                                  "amount_xaf": 2500, "ok": True}
