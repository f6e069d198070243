"""Favourites and what is popular now on WhatsApp: the USSD screens, as lists and buttons."""
import json

from tests.channels.test_ussd_favourites import neighbours_order
from tests.channels.test_whatsapp import choices, say, screen

PHONE = "+237699555261"


def body(part: dict) -> str:
    return part["interactive"]["body"]["text"] if part["type"] == "interactive" else part["text"]["body"]


async def test_a_restaurant_marked_in_a_chat_is_on_the_favourites_list_in_french(chopbar):
    await say(chopbar, PHONE, text="Bonjour")
    assert "Favoris" in choices(await screen(chopbar, PHONE))
    await tap_as(chopbar, "Commander")
    await tap_as(chopbar, "Yaounde")
    await tap_as(chopbar, "Chez Maman Ngo")
    marked = await tap_as(chopbar, "Ajouter aux favoris")
    assert body(marked).startswith("Ajouté à vos favoris.") and "Retirer des favoris" in choices(marked)
    await say(chopbar, PHONE, text="00")
    listed = await tap_as(chopbar, "Favoris")
    assert body(listed) == "Vos favoris:" and "Chez Maman Ngo" in json.dumps(listed, ensure_ascii=False)


async def test_popular_near_a_typed_quarter_opens_the_dish_in_english(chopbar):
    dish = await neighbours_order(chopbar, language="en")
    await say(chopbar, PHONE, text="Hello")
    await say(chopbar, PHONE, text=next(i for t, i in choices(await screen(chopbar, PHONE)).items() if t == "Language/Langue"))
    await tap_as(chopbar, "English")
    await tap_as(chopbar, "Order food")
    asked = await tap_as(chopbar, "Popular near me now")  # a new number has no saved quarter
    assert "Type your quarter" in body(asked)
    await say(chopbar, PHONE, text="Bastos")
    listed = await screen(chopbar, PHONE)
    assert body(listed) == "Popular near Bastos now:"
    row = next(r for s in listed["interactive"]["action"]["sections"] for r in s["rows"] if dish in r.get("description", r["title"]))
    await say(chopbar, PHONE, reply_id=row["id"])
    assert body(await screen(chopbar, PHONE)).startswith(dish)


async def tap_as(chopbar, title: str) -> dict:
    options = choices(await screen(chopbar, PHONE))
    match = next((i for t, i in options.items() if title.lower() in t.lower()), None)
    assert match is not None, f"{title!r} not in {list(options)}"
    await say(chopbar, PHONE, reply_id=match)
    return await screen(chopbar, PHONE)
