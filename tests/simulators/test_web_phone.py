"""The web phone simulator over HTTP: its page, its USSD hops as the gateway makes them, its refusals."""
import re

import pytest

from chopbar.app import create_app
from chopbar.settings import Settings
from tests.conftest import free_port
from tests.sms import inbox
from tests.ussd import number_of

CUSTOMER = "+237699000001"
CODE = "*384*2468#"


async def hop(chopbar, **body):
    response = await chopbar.post("/sim/phone/ussd", json={"phone": CUSTOMER, "code": CODE, **body})
    return response.status, await response.json()


async def test_the_page_shows_three_phones_with_labelled_inputs_in_the_language_asked(chopbar):
    english = await chopbar.get("/sim/phone", params={"lang": "en"})
    assert english.status == 200 and english.content_type == "text/html"
    page = await english.text()
    assert '<html lang="en">' in page and "Chopbar phones" in page
    for role in ("customer", "restaurant", "driver"):
        assert f'id="phone-{role}"' in page
        for field in ("number", "entry", "message"):
            assert f'<label for="{role}-{field}">' in page and f'id="{role}-{field}"' in page
    french = await (await chopbar.get("/sim/phone", params={"lang": "fr"})).text()
    assert '<html lang="fr">' in french
    assert "Téléphones Chopbar" in french and "Composer ou répondre" in french and "Livreur" in french
    assert "Dial or answer" not in french and 'hreflang="en"' in french


async def test_the_page_opens_in_the_default_language_and_keeps_the_numbers_given(chopbar):
    page = await (await chopbar.get("/sim/phone", params={"customer": " 237677000002", "driver": "+237670000011"})).text()
    assert '<html lang="fr">' in page  # CHOPBAR_DEFAULT_LANGUAGE
    assert 'value="+237677000002"' in page and 'value="+237670000011"' in page


@pytest.mark.parametrize("query", [{"lang": "de"}, {"customer": "not-a-number"}, {"driver": "+12"}])
async def test_the_page_refuses_a_language_or_number_it_cannot_use(chopbar, query):
    response = await chopbar.get("/sim/phone", params=query)
    assert response.status == 400
    assert re.search(r"lang|phone number", await response.text())


async def test_the_script_is_served_with_the_page(chopbar):
    response = await chopbar.get("/sim/phone/phone.js")
    assert response.status == 200 and response.content_type == "text/javascript"
    assert "/sim/phone/ussd" in await response.text()


async def test_a_dial_opens_a_session_and_each_answer_carries_the_whole_path(chopbar):
    status, dialled = await hop(chopbar)
    assert status == 200 and not dialled["ended"]
    assert dialled["session_id"].startswith("ATUid_") and dialled["raw"] == "CON " + dialled["text"]
    first = number_of(dialled["text"], "Commander")
    assert first is not None, dialled["text"]
    status, answered = await hop(chopbar, session_id=dialled["session_id"], keys=[first])
    assert status == 200 and answered["session_id"] == dialled["session_id"] and not answered["ended"]
    again = await chopbar.post("/ussd/africastalking", data={
        "sessionId": dialled["session_id"], "serviceCode": CODE, "phoneNumber": CUSTOMER, "networkCode": "62402", "text": first,
    })
    assert await again.text() == answered["raw"]  # the same hop as the gateway's: the same screen
    _, other = await hop(chopbar)
    assert other["session_id"] != dialled["session_id"]  # a session per dial


async def test_an_answer_the_service_ends_on_shows_the_end_screen(chopbar):
    _, dialled = await hop(chopbar)
    talk = number_of(dialled["text"], "Nous ecrire")
    _, asked = await hop(chopbar, session_id=dialled["session_id"], keys=[talk])
    assert not asked["ended"]
    _, ended = await hop(chopbar, session_id=dialled["session_id"], keys=[talk, "Ma commande est en retard"])
    assert ended["ended"] and ended["raw"] == "END " + ended["text"] and "ticket" in ended["text"]


@pytest.mark.parametrize("body, field", [
    ({"phone": "0699000001"}, "phone"),
    ({"phone": "+0699000001"}, "phone"),
    ({"code": "384"}, "code"),
    ({"session_id": "ATUid_nothex"}, "session_id"),
    ({"keys": ["1"]}, "keys"),
    ({"session_id": "ATUid_" + "0" * 32, "keys": ["x" * 183]}, "keys.0"),
    ({"session_id": "ATUid_" + "0" * 32, "keys": ["1\x00"]}, "keys"),
    ({"session_id": "ATUid_" + "0" * 32, "keys": "1*2"}, "keys"),
    ({"extra": 1}, "extra"),
])
async def test_a_hop_the_gateway_would_never_make_is_a_400_naming_the_field(chopbar, body, field):
    status, answer = await hop(chopbar, **body)
    assert status == 400 and answer["error"]["code"] == "bad_input"
    assert answer["error"]["message"].startswith(field), answer


@pytest.mark.parametrize("raw", [b"", b"not json", b"[]", b'{"phone": 1}'])
async def test_a_hop_that_is_not_the_json_object_asked_is_a_400(chopbar, raw):
    response = await chopbar.post("/sim/phone/ussd", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400 and (await response.json())["error"]["code"] == "bad_input"


async def test_a_text_sent_the_way_the_page_sends_it_is_answered_to_that_phone(chopbar):
    response = await chopbar.post("/sim/at/inbound", json={"from": CUSTOMER, "text": "MENU bastos"})
    assert (await response.json())["forwarded"] == 200
    assert "Maman Ngo" in (await inbox(chopbar, CUSTOMER))[-1]


@pytest.mark.parametrize("path", ["/sim/at/inbound", "/sim/meta/inbound"])
@pytest.mark.parametrize("raw, field", [
    (b"", "the body"), (b"MENU", "the body"), (b"[]", "the body"), (b"{}", "from"), (b'{"from": 5}', "from"),
    (b'{"from": "Aline"}', "from"), (b'{"from": "+237699000001", "text": 5}', "text"),
    (b'{"from": "+237699000001", "text": "' + b"x" * 1601 + b'"}', "text"),
])
async def test_a_text_the_page_could_not_have_sent_is_a_400_and_reaches_no_one(chopbar, path, raw, field):
    response = await chopbar.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"]["message"].startswith(field)


async def test_a_whatsapp_tap_of_an_unknown_kind_is_a_400(chopbar):
    response = await chopbar.post("/sim/meta/inbound", json={"from": CUSTOMER, "reply_id": "1", "kind": "carousel"})
    assert response.status == 400 and "kind" in (await response.json())["error"]["message"]


async def test_production_mounts_no_phone(aiohttp_client, database_url):
    production = Settings.from_env({
        "CHOPBAR_DATABASE_URL": database_url, "CHOPBAR_AT_BASE_URL": "https://api.africastalking.com",
        "CHOPBAR_RUN_WORKER": "0", "CHOPBAR_SEED_DEMO": "0", "CHOPBAR_PORT": str(free_port()),
    })
    client = await aiohttp_client(create_app(production))
    assert (await client.get("/sim/phone")).status == 404
    assert (await client.get("/sim/phone/phone.js")).status == 404
    assert (await client.post("/sim/phone/ussd", json={"phone": CUSTOMER, "code": CODE})).status == 404
