"""Searching a dish over HTTP on every channel, in French and English: SMS FIND/CHERCHER (then
ORDER with the numbers it gave), the USSD and WhatsApp "Search a dish" screens, GET /api/v1/search."""
import json

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.formatting import sms_segments
from core.models import Order, Restaurant
from tests import demo
from tests.sms import last, text
from tests.ussd import entries, gateway_for, pick

FR = demo.CUSTOMER_FR  # Aline, Bastos
EN = demo.CUSTOMER_EN  # Ngozi, Biyem-Assi


async def restaurant_of(chopbar, code: str) -> str:
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        return (await unit.session.get(Restaurant, order.restaurant_id)).name


# SMS

async def test_chercher_with_a_typo_finds_ndole_and_commande_orders_it_with_the_numbers_given(chopbar):
    await text(chopbar, FR.phone, "CHERCHER ndoel")
    found = await last(chopbar, FR.phone)
    assert found.startswith("1 Chez Maman Ngo: 1 Ndole 3 000; 2 Ndole House: 1 Ndole 2 800")  # Bastos first
    assert "Envoyez COMMANDE <restaurant> <plat>, ex: COMMANDE 1 1" in found
    assert sms_segments(found) == ("gsm7", 1)
    await text(chopbar, FR.phone, "COMMANDE 2 1 ESPECES")  # restaurant 2 of the reply, its dish 1
    quote = await last(chopbar, FR.phone)
    assert quote.startswith("1x Ndole.") and "Répondez OUI" in quote
    await text(chopbar, FR.phone, "oui")
    placed = await last(chopbar, FR.phone)
    assert placed.startswith("Commande ") and await restaurant_of(chopbar, placed.split()[1]) == "Ndole House"


@pytest.mark.parametrize("body", ["FIND Ndolle", "find NDOLÉ", "  Fnid   ndole "])
async def test_find_in_english_lists_the_nearest_first_and_menu_reads_the_same_numbers(chopbar, body):
    await text(chopbar, EN.phone, body)
    found = await last(chopbar, EN.phone)
    assert found.startswith("1 Le Resto de Biyem-Assi: 1 Ndole 2,300")  # in her quarter
    assert found.endswith("Send ORDER <restaurant> <dish>, e.g. ORDER 1 1") and sms_segments(found) == ("gsm7", 1)
    await text(chopbar, EN.phone, "MENU 1")
    assert (await last(chopbar, EN.phone)).startswith("Le Resto de Biyem-Assi: 1 Ndole")


async def test_a_new_number_finds_dishes_in_every_city(chopbar):
    await text(chopbar, "+237677555090", "CHERCHER poulet dg")
    found = await last(chopbar, "+237677555090")
    assert "Chez Maman Ngo" in found and "Chez Tantine Akwa" in found  # Yaounde and Douala
    assert found.count("Poulet DG") >= 2 and sms_segments(found) == ("gsm7", 1)


@pytest.mark.parametrize("body,reply", [
    ("CHERCHER pizza", "Aucun plat comme Pizza. Vérifiez l'orthographe, ou envoyez MENU pour voir les restaurants."),
    ("CHERCHER", "Envoyez CHERCHER et un plat, ex: CHERCHER ndolé."),
    ("CHERCHER !!!", "Envoyez CHERCHER et un plat, ex: CHERCHER ndolé."),
    ("CHERCHER beignets", "Beignets: les restaurants qui le servent sont fermés."),
])
async def test_nothing_found_or_nothing_asked_gets_a_short_answer_in_french(chopbar, clock, body, reply):
    if "beignets" in body:
        clock.advance(hours=10)  # 22:30: the stalls and the cafeteria are closed
    await text(chopbar, FR.phone, body)
    answer = await last(chopbar, FR.phone)
    assert answer.startswith(reply) and sms_segments(answer) == ("gsm7", 1)


async def test_find_with_nothing_in_english_says_how(chopbar):
    await text(chopbar, EN.phone, "FIND ?")
    assert (await last(chopbar, EN.phone)).startswith("Send FIND and a dish, e.g. FIND ndole.")
    await text(chopbar, EN.phone, "FIND sushi")
    assert (await last(chopbar, EN.phone)).startswith("No dish like Sushi found.")


# USSD

@pytest.fixture
def ussd(chopbar):
    return gateway_for(chopbar)


async def test_a_ussd_search_in_french_opens_the_dish_at_its_restaurant_and_orders_it(ussd, chopbar):
    session = ussd.dial(FR.phone)
    await session.open()
    await pick(session, "Commander a manger")
    await pick(session, "Chercher un plat")
    assert "Tapez le plat voulu" in session.last.text
    await session.press("!!")
    assert "Tapez le nom d'un plat" in session.last.text
    await session.press("pizza")
    assert "Aucun plat trouve" in session.last.text
    await session.press("NDOEL")
    results = session.last.text
    assert results.startswith("Trouve pour NDOEL:\n1 Ndole 3 000 Chez Maman Ngo")
    assert all(len(s) <= 160 for s in [results]) and "98 " in results
    await pick(session, "Ndole House")
    assert "Ndole" in session.last.text and "Accompagnement" in session.last.text  # the dish's own options
    while "(1-20)" not in session.last.text:
        await session.press("1")
    await session.press("2")
    assert "Panier: 2 article(s)" in session.last.text
    await pick(session, "Valider")
    await pick(session, "emporter")
    await pick(session, "comptoir")
    end = await pick(session, "Confirmer")
    code = next(w for w in end.split() if w.isdigit() and len(w) == 6)
    assert await restaurant_of(chopbar, code) == "Ndole House"


async def test_a_ussd_search_in_english_pages_and_goes_back(ussd):
    session = ussd.dial(EN.phone)
    await session.open()
    await pick(session, "Order food")
    await pick(session, "Search a dish")
    await session.press("Pulet DG")
    first = session.last.text
    assert first.startswith("Found for Pulet DG:\n1 Poulet DG 3,800 Le Resto de Biyem-Assi") and len(first) <= 160
    shown = list(entries(first).values())
    await session.press("98")
    more = entries(session.last.text)
    assert more and min(int(n) for n in more) == len(shown) + 1  # numbering goes on across pages
    await session.press("0")
    await session.press("0")
    assert "Type the dish you want" in session.last.text


async def test_a_closed_restaurant_in_the_results_cannot_be_picked(ussd):
    session = ussd.dial(EN.phone)
    await session.open()
    await pick(session, "Order food")
    await pick(session, "Search a dish")
    await session.press("beignets")
    assert "(closed)" in session.last.text
    await pick(session, "Beignets de Mokolo")
    assert session.last.text.startswith("This restaurant is closed now.\nFound for beignets:")


# WhatsApp

async def say(chopbar, phone: str, **what) -> dict:
    response = await chopbar.post("/sim/meta/inbound", json={"from": phone, **what})
    assert (await response.json())["forwarded"] == 200
    messages = await (await chopbar.get("/sim/messages", params={"to": phone})).json()
    return json.loads(messages[-1]["text"])


def rows(part: dict) -> dict[str, str]:
    action = part.get("interactive", {}).get("action", {})
    found = {b["reply"]["title"]: b["reply"]["id"] for b in action.get("buttons", [])}
    found.update({r["title"]: r["id"] for s in action.get("sections", []) for r in s.get("rows", [])})
    return found


async def tap(chopbar, phone: str, part: dict, title: str) -> dict:
    match = next((i for t, i in rows(part).items() if title.lower() in t.lower()), None)
    assert match is not None, f"{title!r} not in {list(rows(part))}"
    return await say(chopbar, phone, reply_id=match)


async def test_whatsapp_shows_the_same_search_and_its_results_as_a_list(chopbar):
    phone = FR.phone
    home = await say(chopbar, phone, text="Bonjour")
    places = await tap(chopbar, phone, home, "Commander")
    prompt = await tap(chopbar, phone, places, "Chercher un plat")
    assert "Tapez le plat voulu" in json.dumps(prompt, ensure_ascii=False)
    found = await say(chopbar, phone, text="ndolé")
    assert found["interactive"]["type"] == "list" and any("Ndole House" in t for t in rows(found))
    dish = await tap(chopbar, phone, found, "Ndole House")
    assert "Accompagnement" in json.dumps(dish, ensure_ascii=False)


# REST

async def test_the_api_finds_a_mistyped_dish_nearest_first(chopbar):
    response = await chopbar.get("/api/v1/search", params={"q": "Ndolé crevete", "quarter": "akwa"})
    assert response.status == 200
    body = await response.json()
    assert body["query"] == "Ndolé crevete" and body["items"]
    first = body["items"][0]
    assert first["name_fr"] == "Ndole crevettes" and first["restaurant"]["city"] == "Douala"
    distances = [i["distance_km"] for i in body["items"] if i["open_now"]]
    assert distances and all(d is not None for d in distances)


async def test_the_api_search_filters_open_ones_and_limits(chopbar):
    every = (await (await chopbar.get("/api/v1/search", params={"q": "beignets"})).json())["items"]
    assert any(not i["open_now"] for i in every)
    opened = (await (await chopbar.get("/api/v1/search", params={"q": "beignets", "open": "true"})).json())["items"]
    assert opened and all(i["open_now"] for i in opened)
    one = (await (await chopbar.get("/api/v1/search", params={"q": "ndole", "limit": "1"})).json())["items"]
    assert len(one) == 1 and one[0]["number"] >= 1 and one[0]["rating"] is None


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "!!!"}, {"q": "x" * 61},
                                    {"q": "ndole", "quarter": "Atlantis"}, {"q": "ndole", "city": "Paris"},
                                    {"q": "ndole", "limit": "0"}])
async def test_bad_searches_are_a_400_that_says_why(chopbar, params):
    response = await chopbar.get("/api/v1/search", params=params)
    assert response.status == 400
    assert (await response.json())["error"]["message"]


async def test_the_search_is_in_the_openapi_document(chopbar):
    document = await (await chopbar.get("/api/v1/openapi.json")).json()
    operation = document["paths"]["/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "quarter", "city", "open", "limit"}
    assert "400" in operation["responses"]
