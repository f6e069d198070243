"""Favourites, "your usual" and what is popular now, on USSD over HTTP, in French and English."""
import pytest
from sqlalchemy import func, select, update

from channels.keys import DATABASE, DIALOGS
from core.models import MenuItem, Order
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.ussd import entries, gateway_for, number_of, pick

NEW_FR = "+237699555201"  # a number nobody has: French, the default
WORDS = {
    "fr": {"order": "Commander a manger", "favourites": "Favoris", "add": "Ajouter aux favoris", "remove": "Retirer des favoris",
           "added": "Ajoute a vos favoris.", "removed": "Retire de vos favoris.", "none": "Pas encore de favoris",
           "mains": "Plats", "checkout": "Valider", "pickup": "emporter", "cash": "comptoir", "confirm": "Confirmer",
           "usual": "Comme d'habitude:", "reorder": "Recommander", "popular": "Populaire pres de moi",
           "other": "Un autre quartier", "placed": "Commande "},
    "en": {"order": "Order food", "favourites": "Favourites", "add": "Add to favourites", "remove": "Remove from favourites",
           "added": "Added to your favourites.", "removed": "Removed from your favourites.", "none": "No favourites yet",
           "mains": "Plates", "checkout": "Checkout", "pickup": "I collect it", "cash": "counter", "confirm": "Confirm",
           "usual": "Your usual:", "reorder": "Reorder", "popular": "Popular near me now",
           "other": "Another quarter", "placed": "Order "},
}
PEOPLE = {"fr": demo.CUSTOMER_FR.phone, "en": demo.CUSTOMER_EN.phone}


@pytest.fixture
def ussd(chopbar):
    return gateway_for(chopbar)


def fits(text: str) -> bool:
    return len(text) <= 160 and text.isascii()  # what follows "CON " or "END "


async def to_quantity(session, words: dict, dish: str = "Poulet DG") -> None:
    """From the main menu to the dish's screen that asks how many (options: the first of each)."""
    await pick(session, words["order"])
    await pick(session, "Yaounde")
    await pick(session, "Chez Maman Ngo")
    await pick(session, words["mains"])
    await pick(session, dish)
    while "(1-20)" not in session.last.text:
        await session.press("1")


async def pickup_in_cash(session, words: dict) -> str:
    await to_quantity(session, words)
    await session.press("2")
    for label in ("checkout", "pickup", "cash"):
        await pick(session, words[label])
    return await pick(session, words["confirm"])


async def count_orders(chopbar, phone: str) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        customer = await demo.account(unit, phone)
        return await unit.session.scalar(select(func.count(Order.id)).where(Order.account_id == customer.id))


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_restaurant_marked_from_its_menu_opens_from_favourites_in_a_later_session(ussd, language):
    words = WORDS[language]
    first = ussd.dial(PEOPLE[language])
    await first.open()
    await pick(first, words["order"])
    await pick(first, "Yaounde")
    menu = await pick(first, "Chez Maman Ngo")
    assert words["add"] in menu and words["mains"] in menu  # its categories, then the mark, last
    marked = await pick(first, words["add"])
    assert marked.startswith(f"{words['added']}") and words["remove"] in marked and fits(marked)
    later = ussd.dial(PEOPLE[language])
    home = (await later.open()).text
    assert fits(home)
    listed = await pick(later, words["favourites"])
    assert list(entries(listed).values()) == ["Chez Maman Ngo"] and fits(listed)
    opened = await pick(later, "Chez Maman Ngo")
    assert opened.startswith("Chez Maman Ngo") and words["remove"] in opened
    removed = await pick(later, words["remove"])
    assert words["removed"] in removed and words["add"] in removed
    again = ussd.dial(PEOPLE[language])
    await again.open()
    assert words["none"] in await pick(again, words["favourites"])


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_dish_marked_with_99_on_its_screen_opens_straight_from_favourites(ussd, language):
    words = WORDS[language]
    first = ussd.dial(PEOPLE[language])
    await first.open()
    await to_quantity(first, words)
    assert f"99 {words['add']}" in first.last.text
    marked = await first.press("99")
    assert words["added"] in marked.text and f"99 {words['remove']}" in marked.text and "(1-20)" in marked.text
    assert fits(marked.text)
    later = ussd.dial(PEOPLE[language])
    await later.open()
    listed = await pick(later, words["favourites"])
    assert "Poulet DG - Chez Maman Ngo" in listed
    await pick(later, "Poulet DG")
    while "(1-20)" not in later.last.text:  # Poulet DG asks for its extras first
        await later.press("1")
    basket = (await later.press("2")).text
    assert ("Panier: 2 article(s)" if language == "fr" else "Basket: 2 item(s)") in basket and fits(basket)


async def test_a_first_time_caller_marking_a_favourite_gets_an_account_and_keeps_it(ussd, chopbar):
    session = ussd.dial(NEW_FR)
    await session.open()
    await to_quantity(session, WORDS["fr"])
    assert WORDS["fr"]["added"] in (await session.press("99")).text
    later = ussd.dial(NEW_FR)
    await later.open()
    assert "Poulet DG - Chez Maman Ngo" in await pick(later, "Favoris")


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_usual_is_one_key_on_the_main_menu_and_confirms_priced_as_now(ussd, chopbar, language):
    words = WORDS[language]
    for _ in range(2):
        session = ussd.dial(PEOPLE[language])
        await session.open()
        assert (await pickup_in_cash(session, words)).startswith(words["placed"])
    async with chopbar.app[DATABASE].unit() as unit:  # the restaurant raises its price meanwhile
        await unit.session.execute(update(MenuItem).where(MenuItem.name_fr == "Poulet DG").values(price_xaf=4500))
    chopbar.app[DIALOGS].catalog.invalidate()
    later = ussd.dial(PEOPLE[language])
    home = (await later.open()).text
    assert number_of(home, f"{words['usual']} Poulet DG x2 - Chez Maman Ngo") == "1", home
    assert number_of(home, words["reorder"]) is None  # the last order is the usual: one line says it
    assert fits(home)
    confirm = (await later.press("1")).text
    assert "Chez Maman Ngo" in confirm and ("9 000 FCFA" in confirm or "9,000 FCFA" in confirm), confirm
    end = await later.press(number_of(confirm, words["confirm"]))
    assert end.ended and end.text.startswith(words["placed"])
    assert await count_orders(chopbar, PEOPLE[language]) == 3


async def test_an_order_once_is_a_reorder_not_a_usual(ussd):
    session = ussd.dial(demo.CUSTOMER_FR.phone)
    await session.open()
    await pickup_in_cash(session, WORDS["fr"])
    later = ussd.dial(demo.CUSTOMER_FR.phone)
    home = (await later.open()).text
    assert number_of(home, "Recommander") == "1" and "habitude" not in home


async def neighbours_order(chopbar, count: int = 2, language: str = "fr") -> str:
    """Orders from other numbers delivered to Bastos, at this hour: the dish's name."""
    restaurant_id, item_id = await menu_item(chopbar)
    for n in range(count):
        tokens = await sign_in(chopbar, f"+23769955530{n}")
        placed = await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id),
                                    headers={**bearer(tokens), "Idempotency-Key": f"neighbour-{n}"})
        assert placed.status == 201
    menu = await (await chopbar.get(f"/api/v1/restaurants/{restaurant_id}/menu")).json()
    return next(d[f"name_{language}"] for d in menu["dishes"] if d["id"] == item_id)


async def test_popular_near_me_lists_what_the_quarter_orders_now_and_opens_the_dish_in_french(ussd, chopbar):
    dish = await neighbours_order(chopbar)
    session = ussd.dial(demo.CUSTOMER_FR.phone)  # Aline's saved address is in Bastos
    await session.open()
    await pick(session, "Commander a manger")
    popular = await pick(session, WORDS["fr"]["popular"])
    assert popular.startswith("Populaire a Bastos en ce moment:") and fits(popular)
    assert number_of(popular, f"{dish} - Chez Maman Ngo") == "1"
    opened = await session.press("1")
    assert opened.text.startswith(f"{dish}") and "(1-20)" in opened.text


async def test_popular_in_another_quarter_named_by_the_caller_in_english(ussd, chopbar):
    dish = await neighbours_order(chopbar, language="en")
    session = ussd.dial(demo.CUSTOMER_EN.phone)  # Ngozi lives in Biyem-Assi, where nobody ordered
    await session.open()
    await pick(session, "Order food")
    empty = await pick(session, WORDS["en"]["popular"])
    assert empty.startswith("Nothing ordered near Biyem-Assi at this hour yet.")
    asked = await pick(session, WORDS["en"]["other"])
    assert "Type your quarter" in asked
    typed = await session.press("bastos")
    assert typed.text.startswith("Popular near Bastos now:") and f"{dish} - Chez Maman Ngo" in typed.text


async def test_a_caller_with_no_saved_quarter_is_asked_for_one(ussd, chopbar):
    await neighbours_order(chopbar, count=1)
    session = ussd.dial(NEW_FR)
    await session.open()
    await pick(session, "Commander a manger")
    asked = await pick(session, WORDS["fr"]["popular"])
    assert "Tapez votre quartier" in asked or "quartier" in asked
    wrong = await session.press("xqzwv")
    assert wrong.text.startswith("Quartier introuvable")
    found = await session.press("Bastos")
    assert found.text.startswith("Populaire a Bastos")
