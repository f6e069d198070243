"""Phone numbers normalized to E.164 with libphonenumber, and the operator hint of Cameroon's ranges."""
import pytest

from core.errors import BadInput
from core.phones import display, msisdn, operator_of, to_e164


@pytest.mark.parametrize(
    "raw",
    ["+237699123456", "699123456", "6 99 12 34 56", "+237 6 99 12 34 56", "00237699123456", "237699123456",
     "whatsapp:+237699123456", " 237699123456", "(+237) 699-12-34-56"],
)
def test_the_ways_people_and_gateways_write_a_number_all_give_e164(raw):
    assert to_e164(raw) == "+237699123456"


@pytest.mark.parametrize("raw", ["", "12", "69912345", "6991234567", "+23769912345", "hello", "+999 123"])
def test_invalid_numbers_are_refused_clearly(raw):
    with pytest.raises(BadInput):
        to_e164(raw)


@pytest.mark.parametrize(
    "phone,operator",
    [("+237677123456", "mtn"), ("+237650123456", "mtn"), ("+237681123456", "mtn"), ("+237699123456", "orange"),
     ("+237655123456", "orange"), ("+237686123456", "orange"), ("+237640123456", "orange"), ("+237662123456", "nexttel"),
     ("+237222123456", None)],
)
def test_the_operator_is_guessed_from_the_prefix(phone, operator):
    assert operator_of(phone) == operator


def test_other_formats_for_providers_and_people():
    assert msisdn("+237677123456") == "237677123456"
    assert display("+237677123456").replace(" ", "") == "677123456"


def test_a_number_from_another_country_stays_itself():
    assert to_e164("+33 6 12 34 56 78") == "+33612345678"
