"""Whole USSD dialogs over HTTP in the Africa's Talking format, in French and English."""
import pytest
from sqlalchemy import func, select

from core.models import Order
from tests import demo
from tests.ussd import entries, gateway_for, number_of, pick

NEW_NUMBER = "+237699555001"  # nobody yet: gets the default language, French


@pytest.fixture
def ussd(chopbar):
    return gateway_for(chopbar)


async def count_orders(db, phone: str) -> int:
    async with db.unit() as unit:
        customer = await demo.account(unit, phone)
        if customer is None:
            return 0
        return await unit.session.scalar(select(func.count(Order.id)).where(Order.account_id == customer.id))


async def order_basket(session, restaurant: str, dish_label: str = "Poulet DG") -> None:
    """From the main menu to a basket holding 2 of a dish (extras: none)."""
    await pick(session, "Commander a manger" if "Commander" in session.last.text else "Order food")
    await pick(session, "Yaounde")
    await pick(session, restaurant)
    if number_of(session.last.text, "Plats") or number_of(session.last.text, "Plates"):
        await pick(session, "Plats" if "Plats" in session.last.text else "Plates")
    await pick(session, dish_label)
    while "(1-20)" not in session.last.text:  # option screens: take the first offered
        await session.press("1")
    await session.press("2")


async def pickup_in_cash(session, restaurant: str = "Chez Maman Ngo") -> str:
    """From the main menu (French) to the END screen of a pickup order paid at the counter."""
    await order_basket(session, restaurant)
    await pick(session, "Valider")
    await pick(session, "emporter")
    await pick(session, "comptoir")
    return await pick(session, "Confirmer")


async def test_a_cash_order_from_dial_to_end_in_french(ussd, db, chopbar):
    session = ussd.dial(NEW_NUMBER)
    home = await session.open()
    assert home.text.startswith("Chopbar: que voulez-vous?") and "Language/Langue" in home.text
    await order_basket(session, "Chez Maman Ngo")
    assert "Panier: 2 article(s)" in session.last.text
    await pick(session, "Valider")
    await pick(session, "Me livrer")
    await pick(session, "Nouvelle adresse")
    await session.press("biyemasi")  # a near typo of Biyem-Assi
    assert "Quartier: Biyem-Assi" in session.last.text
    await session.press("Derriere la pharmacie")
    await pick(session, "Especes")
    summary = session.last.text
    assert "Repas 8 000 FCFA" in summary and "Livraison" in summary and "Total" in summary
    end = await pick(session, "Confirmer")
    assert session.last.ended and end.startswith("Commande ")
    code = end.split()[1]
    async with db.unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        assert order.status == "PENDING_RESTAURANT" and order.quarter_text == "Biyem-Assi"
        assert order.total_xaf == order.subtotal_xaf + order.delivery_fee_xaf
    restaurant_sms = await (await chopbar.get("/sim/messages", params={"to": demo.ALL_DAY_YAOUNDE.phone})).json()
    assert any(f"OUI {code}" in m["text"] for m in restaurant_sms)


async def test_an_english_customer_orders_to_a_saved_address(ussd, db):
    session = ussd.dial(demo.CUSTOMER_EN.phone)
    assert (await session.open()).text.startswith("Chopbar: what would you like?")
    await order_basket(session, "Chez Maman Ngo")
    await pick(session, "Checkout")
    await pick(session, "Deliver to me")
    saved = entries(session.last.text)["1"]
    assert saved.startswith(demo.CUSTOMER_EN.quarter)
    await session.press("1")
    await pick(session, "Cash on delivery")
    end = await pick(session, "Confirm")
    assert session.last.ended and end.startswith("Order ") and "cash" in end


async def test_pickup_needs_no_address_and_no_fee(ussd):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await order_basket(session, "Chez Maman Ngo")
    await pick(session, "Valider")
    await pick(session, "emporter")
    await pick(session, "comptoir")
    assert "Livraison A emporter" in session.last.text
    end = await pick(session, "Confirmer")
    assert "au retrait" in end


async def test_the_restaurant_list_pages_with_98_and_numbers_continue(ussd):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await pick(session, "Commander")
    first = await pick(session, "Yaounde")
    assert "98 Suite" in first
    page_one = entries(first)
    second = (await session.press("98")).text
    page_two = entries(second)
    assert min(map(int, page_two)) == max(map(int, page_one)) + 1
    assert "(ferme)" in second or "(ferme)" in first  # closed ones are marked, listed last
    back = (await session.press("0")).text
    assert entries(back) == page_one
    home = (await session.press("00")).text
    assert home.startswith("Chopbar: que voulez-vous?")


async def test_a_wrong_key_shows_the_same_screen_with_a_hint(ussd):
    session = ussd.dial(NEW_NUMBER)
    home = await session.open()
    again = await session.press("9")
    assert again.text.startswith("Mauvais choix")
    assert entries(again.text) == entries(home.text)
    letters = await session.press("abc")
    assert letters.text.startswith("Mauvais choix")


async def test_a_closed_restaurant_cannot_be_chosen(ussd):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await pick(session, "Commander")
    await pick(session, "Yaounde")
    screen = await pick(session, "(ferme)")
    assert screen.startswith("Ce restaurant est ferme")


async def test_a_replayed_hop_shows_the_same_screen_and_orders_once(ussd, db):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    end = await pickup_in_cash(session)
    again = await session.replay()
    assert again.raw == session.last.raw and again.text == end
    assert await count_orders(db, NEW_NUMBER) == 1


async def test_a_session_lost_by_the_store_is_rebuilt_from_the_whole_path(ussd, chopbar):
    from channels.keys import DIALOGS

    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await pick(session, "Commander")
    before = await pick(session, "Yaounde")
    await chopbar.app[DIALOGS].store.delete(f"dialog:ussd:{session.session_id}")
    assert (await session.replay()).text == before


async def test_a_dropped_session_is_offered_back_on_the_next_dial(ussd, clock):
    first = ussd.dial(NEW_NUMBER)
    await first.open()
    await order_basket(first, "Chez Maman Ngo")  # then the network drops the session
    second = ussd.dial(NEW_NUMBER)
    home = (await second.open()).text
    assert number_of(home, "Reprendre ma commande") == "1"
    basket = await pick(second, "Reprendre")
    assert "Panier: 2 article(s)" in basket


async def test_reorder_takes_two_keys_from_the_main_menu(ussd, db):
    first = ussd.dial(demo.CUSTOMER_FR.phone)
    await first.open()
    await pickup_in_cash(first)
    again = ussd.dial(demo.CUSTOMER_FR.phone)
    home = (await again.open()).text
    key = number_of(home, "Recommander")
    await again.press(key)
    assert "Poulet DG" in again.last.text
    end = await again.press(number_of(again.last.text, "Confirmer"))
    assert end.ended and end.text.startswith("Commande ")
    assert await count_orders(db, demo.CUSTOMER_FR.phone) == 2


async def test_my_orders_shows_status_in_words_and_cancels_before_acceptance(ussd, db, chopbar):
    first = ussd.dial(NEW_NUMBER)
    await first.open()
    code = (await pickup_in_cash(first)).split()[1]
    second = ussd.dial(NEW_NUMBER)
    await second.open()
    listing = await pick(second, "Mes commandes")
    assert f"{code} En attente du restaurant" in listing
    detail = await pick(second, code)
    assert "En attente du restaurant" in detail
    await pick(second, "Annuler cette commande")
    done = await pick(second, "Oui, annuler")
    assert second.last.ended and f"Commande {code} annulee" in done
    restaurant_sms = await (await chopbar.get("/sim/messages", params={"to": demo.ALL_DAY_YAOUNDE.phone})).json()
    assert any(code in m["text"] and "annulée" in m["text"] for m in restaurant_sms)


async def test_language_choice_is_remembered_for_the_next_dial(ussd):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await pick(session, "Language/Langue")
    assert (await pick(session, "English")).startswith("Chopbar: what would you like?")
    again = ussd.dial(NEW_NUMBER)
    assert (await again.open()).text.startswith("Chopbar: what would you like?")


async def test_near_me_by_a_typed_quarter_lists_the_nearest_first(ussd):
    session = ussd.dial(NEW_NUMBER)
    await session.open()
    await pick(session, "Commander")
    await pick(session, "Taper mon quartier")
    listing = (await session.press("akwa")).text
    assert listing.startswith("Restaurants pres de Akwa")
    assert "Chez Tantine Akwa" in entries(listing)["1"] or "Mama Africa" in listing


async def test_a_missing_field_is_a_400_not_a_500(chopbar):
    response = await chopbar.post("/ussd/africastalking", data={"sessionId": "x"})
    assert response.status == 400
    assert "phoneNumber" in await response.text()


async def test_an_invalid_number_gets_an_end_screen_in_both_languages(chopbar):
    response = await chopbar.post(
        "/ussd/africastalking", data={"sessionId": "s1", "phoneNumber": "12", "text": "", "serviceCode": "*1#"}
    )
    body = await response.text()
    assert response.status == 200 and body.startswith("END ") and len(body) <= 160
    assert "cannot use Chopbar" in body and "ne peut pas utiliser Chopbar" in body


async def test_the_end_of_session_notice_is_acknowledged(chopbar):
    response = await chopbar.post(
        "/ussd/africastalking/events",
        data={"sessionId": "s1", "status": "Success", "phoneNumber": NEW_NUMBER, "hopsCount": "3"},
    )
    assert response.status == 200
