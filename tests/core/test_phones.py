"""Phone numbers normalized to E.164 with libphonenumber, and the operator hint of Cameroon's ranges."""
import phonenumbers
import pytest
from hypothesis import given, settings, strategies as st
from phonenumbers import carrier

from core.errors import BadInput
from core.phones import OPERATORS, display, is_mobile, msisdn, operator_of, to_e164

# libphonenumber's pattern for Cameroonian mobiles (PROTOCOLS.md section 9)
NATIONAL_MOBILES = st.from_regex(r"(?:6(?:[25-9][0-9]|4[0-2])|24[23])[0-9]{6}", fullmatch=True)


def written_forms(national: str) -> list[str]:
    spaced = " ".join([national[0], *(national[i:i + 2] for i in range(1, 9, 2))])
    return [
        national, spaced, f"+237{national}", f"+237 {spaced}", f"00237{national}", f"237{national}",
        f"whatsapp:+237{national}", f" 237{national}", f"tel:+237{national}", f"(+237) {national}",
    ]


@pytest.mark.parametrize(
    "raw",
    ["+237699123456", "699123456", "6 99 12 34 56", "+237 6 99 12 34 56", "00237699123456", "237699123456",
     "whatsapp:+237699123456", "WhatsApp:+237699123456", " 237699123456", "(+237) 699-12-34-56",
     "699.12.34.56", "\t699123456\n", "00 237 699 12 34 56"],
)
def test_the_ways_people_and_gateways_write_a_number_all_give_e164(raw):
    assert to_e164(raw) == "+237699123456"


@settings(max_examples=50)
@given(NATIONAL_MOBILES)
def test_every_cameroonian_mobile_gives_the_same_e164_however_it_is_written(national):
    assert {to_e164(raw) for raw in written_forms(national)} == {f"+237{national}"}


@pytest.mark.parametrize(
    "raw", ["", "   ", "12", "69912345", "6991234567", "+23769912345", "hello", "+999 123", "whatsapp:", "00",
            "611123456", "+237 611 12 34 56"],
)
def test_invalid_numbers_are_refused_with_the_typed_text_in_the_message(raw):
    with pytest.raises(BadInput) as refused:
        to_e164(raw)
    assert repr(raw) in str(refused.value) and refused.value.code == "bad_input"


@settings(max_examples=100)
@given(st.text(max_size=25))
def test_any_text_gives_an_e164_number_or_bad_input_and_nothing_else(raw):
    try:
        phone = to_e164(raw)
    except BadInput:
        return
    assert phone.startswith("+") and phone[1:].isascii() and phone[1:].isdigit()


def test_a_number_from_another_country_stays_itself():
    assert to_e164("+33 6 12 34 56 78") == "+33612345678"
    assert to_e164("0033612345678") == "+33612345678"
    assert to_e164("06 12 34 56 78", region="FR") == "+33612345678"


def test_a_fixed_line_is_a_valid_number_but_not_a_mobile():
    assert to_e164("222 12 34 56") == "+237222123456"
    assert not is_mobile("+237222123456")


@pytest.mark.parametrize("phone", ["+237699123456", "+237677123456", "+237662123456", "+237620123456", "+237242123456"])
def test_cameroonian_mobiles_including_camtel_242_are_mobiles(phone):
    assert is_mobile(phone)


@pytest.mark.parametrize("phone", ["", "hello", "+237611123456", "699123456"])
def test_what_is_not_a_valid_e164_number_is_not_a_mobile(phone):
    assert not is_mobile(phone)


@pytest.mark.parametrize(
    "phone,operator",
    [("+237677123456", "mtn"), ("+237650123456", "mtn"), ("+237654123456", "mtn"), ("+237681123456", "mtn"),
     ("+237683123456", "mtn"), ("+237699123456", "orange"), ("+237655123456", "orange"), ("+237659123456", "orange"),
     ("+237686123456", "orange"), ("+237689123456", "orange"), ("+237640123456", "orange"), ("+237642123456", "orange"),
     ("+237662123456", "nexttel"), ("+237684123456", "nexttel"), ("+237685123456", "nexttel"),
     ("+237620123456", "camtel"), ("+237242123456", "camtel"), ("+237243123456", "camtel"),
     ("+237222123456", None), ("+237643123456", None), ("+33612345678", None), ("+2376", None)],
)
def test_the_operator_is_guessed_from_the_prefix(phone, operator):
    assert operator_of(phone) == operator


@pytest.mark.parametrize("prefix", range(600, 700))
def test_the_prefix_table_agrees_with_libphonenumbers_carrier_data(prefix):
    # the table was copied from libphonenumber 9.0.43; a failure here means the ranges moved
    number = phonenumbers.parse(f"+237{prefix}123456")
    name = carrier.name_for_number(number, "en")
    assert operator_of(f"+237{prefix}123456") == (name.split()[0].lower() if name else None)


def test_no_prefix_belongs_to_two_operators():
    prefixes = [p for group in OPERATORS.values() for p in group]
    assert not any(a != b and a.startswith(b) for a in prefixes for b in prefixes)


@settings(max_examples=50)
@given(NATIONAL_MOBILES)
def test_providers_get_the_country_code_without_plus_and_people_get_the_national_groups(national):
    phone = f"+237{national}"
    assert msisdn(phone) == f"237{national}" and len(msisdn(phone)) == 12
    assert display(phone).replace(" ", "") == national
    assert to_e164(display(phone)) == phone and to_e164(msisdn(phone)) == phone


def test_a_number_is_shown_in_the_groups_cameroonians_write():
    assert display("+237699123456") == "6 99 12 34 56"


def test_a_foreign_number_is_shown_with_its_country_code():
    assert display("+33612345678") == "+33 6 12 34 56 78"
