"""The restaurant's ratings page over plain HTTP: its average, its customers' comments, and an
answer sent once by a plain form (the customer gets it by SMS); owners and managers only."""
import pytest

from tests import demo
from tests.channels.test_ratings import collected, restaurant_id
from tests.console.helpers import console_sign_in, csrf_of
from tests.sms import last, text

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
WORDS = {
    "en": ("Average 2.0 out of 5, from 1 ratings.", "Your answer was sent to the customer by SMS.", "Your answer: "),
    "fr": ("Moyenne 2.0 sur 5, sur 1 notes.", "Votre réponse a été envoyée au client par SMS.", "Votre réponse : "),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_owner_answers_a_comment_from_the_ratings_page_and_the_customer_gets_it(chopbar, lang):
    customer = demo.CUSTOMER_EN
    code = await collected(chopbar, customer.phone)
    await text(chopbar, customer.phone, "2 the rice was cold")
    rid = await restaurant_id(chopbar)
    await console_sign_in(chopbar, OWNER, lang)
    page = await (await chopbar.get(f"/console/restaurants/{rid}/ratings")).text()
    average, sent, yours = WORDS[lang]
    assert average in page and "the rice was cold" in page and code in page
    action = f"/console/restaurants/{rid}/ratings/"
    rating_id = page.split(action, 1)[1].split("/answer", 1)[0]
    answered = await chopbar.post(f"{action}{rating_id}/answer", data={"text": "Sorry, it won't happen again.",
                                                                        "csrf": csrf_of(page)})
    assert answered.status == 200
    after = await answered.text()
    assert sent in after and yours in after and f'action="{action}{rating_id}/answer"' not in after
    assert "Sorry, it won't happen again." in await last(chopbar, customer.phone)


async def test_staff_do_not_see_the_ratings_page_and_a_form_without_its_token_does_nothing(chopbar):
    customer = demo.CUSTOMER_FR
    await collected(chopbar, customer.phone)
    await text(chopbar, customer.phone, "4 bien")
    rid = await restaurant_id(chopbar)
    await console_sign_in(chopbar, STAFF)
    board = await (await chopbar.get(f"/console/restaurants/{rid}")).text()
    assert f"/console/restaurants/{rid}/ratings" not in board
    assert (await chopbar.get(f"/console/restaurants/{rid}/ratings")).status == 403
    forged = await chopbar.post(f"/console/restaurants/{rid}/ratings/1/answer", data={"text": "x"})
    assert forged.status == 403
    assert "x" != await last(chopbar, customer.phone)
