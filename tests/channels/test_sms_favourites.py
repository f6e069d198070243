"""FAV by SMS: a restaurant of the last list kept as a favourite, then listed with the numbers that
MENU <n> and ORDER use, in French and English."""
import pytest

from core.formatting import sms_segments
from tests import demo
from tests.sms import last, text


@pytest.mark.parametrize("phone,language", [(demo.CUSTOMER_FR.phone, "fr"), (demo.CUSTOMER_EN.phone, "en")])
async def test_fav_keeps_a_restaurant_of_the_list_and_its_number_orders_from_it(chopbar, phone, language):
    await text(chopbar, phone, "FAV")
    none = await last(chopbar, phone)
    assert none.startswith("Pas encore de favoris" if language == "fr" else "No favourites yet")
    await text(chopbar, phone, "MENU bastos")
    listing = await last(chopbar, phone)
    number = next(part.split()[0] for part in listing.split(": ", 1)[1].split(", ") if "Chez Maman Ngo" in part)
    await text(chopbar, phone, f"favori {number}")
    added = await last(chopbar, phone)
    assert added == ("Chez Maman Ngo est dans vos favoris. Envoyez FAVORI pour les voir." if language == "fr"
                     else "Chez Maman Ngo is in your favourites. Send FAV to see them.")
    await text(chopbar, phone, " fav ")
    listed = await last(chopbar, phone)
    assert listed.startswith("Vos favoris: 1 Chez Maman Ngo." if language == "fr" else "Your favourites: 1 Chez Maman Ngo.")
    assert sms_segments(listed)[1] == 1
    await text(chopbar, phone, "MENU 1")
    assert (await last(chopbar, phone)).startswith("Chez Maman Ngo: ")
    await text(chopbar, phone, "ORDER 1 1x2 CASH")
    assert (await last(chopbar, phone)).startswith("2x Ndole.")  # dish 1 of Chez Maman Ngo


async def test_fav_with_a_number_not_on_the_last_list_says_so(chopbar):
    phone = demo.CUSTOMER_EN.phone
    await text(chopbar, phone, "FAV 4")
    assert (await last(chopbar, phone)) == "No restaurant 4 in your last list. Send MENU first."
