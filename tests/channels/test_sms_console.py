"""The restaurant's SMS console by role: every number of a restaurant (its owner, managers and
staff on their own phones, its main and backup console numbers) in both languages, each keyword
allowed or refused by the sender's role, with typos and bad arguments."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Account, MenuItem, Restaurant, Role
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order
from tests.sms import inbox, last, text

MAIN, BACKUP = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
OWNER, MANAGER, STAFF = "+237699300001", "+237677300002", "+237699300003"
LANGUAGE = {MAIN: "fr", BACKUP: "fr", OWNER: "fr", MANAGER: "en", STAFF: "fr"}
MAY_MANAGE = [OWNER, MANAGER, MAIN]  # owner, a manager, the main console (a manager's)
MAY_NOT_MANAGE = [STAFF, BACKUP]  # staff, the backup console (staff's)
EVERYONE = MAY_MANAGE + MAY_NOT_MANAGE
REFUSED = {"fr": "Désolé, seuls le propriétaire ou un gérant peuvent envoyer {word}.",
           "en": "Sorry, only the owner or a manager may send {word}."}


def say(phone: str, fr: str, en: str) -> str:
    return fr if LANGUAGE[phone] == "fr" else en


@pytest.fixture
async def restaurant_id(chopbar):
    """The all-day Yaounde restaurant's people: its console numbers act by the console alone
    (the seed's roles on them taken away), and three people have roles on their own accounts."""
    async with chopbar.app[DATABASE].unit() as unit:
        restaurant = await demo.restaurant(unit)
        for phone in (MAIN, BACKUP):
            for role in list((await demo.account(unit, phone)).roles):
                await unit.session.delete(role)
        for phone, role in ((OWNER, "owner"), (MANAGER, "manager"), (STAFF, "staff")):
            unit.session.add(Account(phone=phone, language=LANGUAGE[phone], created_at=unit.now(),
                                     roles=[Role(role=role, restaurant_id=restaurant.id)]))
        return restaurant.id


async def dish(chopbar, restaurant_id: int, number: int = 1) -> MenuItem:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(
            select(MenuItem).where(MenuItem.restaurant_id == restaurant_id, MenuItem.position == number))


async def restaurant_row(chopbar, restaurant_id: int) -> Restaurant:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.get(Restaurant, restaurant_id)


async def status_of(chopbar, code: str) -> str:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await order_by_code(unit, code)).status


@pytest.mark.parametrize("phone", MAY_MANAGE)
async def test_the_owner_a_manager_and_the_main_console_change_a_price(chopbar, restaurant_id, phone):
    await text(chopbar, phone, say(phone, "PRIX 1 2 750", "price 1 2,750"))
    assert (await dish(chopbar, restaurant_id)).price_xaf == 2750
    assert say(phone, "coûte maintenant 2 750 FCFA", "now costs 2,750 FCFA") in await last(chopbar, phone)


@pytest.mark.parametrize("phone", MAY_NOT_MANAGE)
async def test_staff_and_the_backup_console_are_refused_a_price_naming_who_may(chopbar, restaurant_id, phone):
    before = (await dish(chopbar, restaurant_id)).price_xaf
    await text(chopbar, phone, "PRIX 1 2750")
    assert (await dish(chopbar, restaurant_id)).price_xaf == before
    assert await last(chopbar, phone) == REFUSED["fr"].format(word="PRIX")


async def test_a_refusal_names_the_keyword_in_the_senders_language(chopbar, restaurant_id):
    async with chopbar.app[DATABASE].unit() as unit:
        (await demo.account(unit, STAFF)).language = "en"
    await text(chopbar, STAFF, "bilan")
    assert await last(chopbar, STAFF) == REFUSED["en"].format(word="REPORT")


@pytest.mark.parametrize("typed,price", [("PRIX 1 2500", 2500), ("prix 1 2.500", 2500), ("Prix  1  2500F", 2500),
                                          ("PRICE 1 12 500 FCFA", 12500), ("PRICR 1 900", 900)])
async def test_amounts_and_typos_are_read(chopbar, restaurant_id, typed, price):
    await text(chopbar, OWNER, typed)
    assert (await dish(chopbar, restaurant_id)).price_xaf == price


@pytest.mark.parametrize("typed", ["PRIX 1", "PRIX 1 abc", "PRIX 1 2.50", "PRIX 1 20", "PRIX 1 2000000", "PRIX", "PRIX x 2500"])
async def test_a_bad_price_gets_how_to_send_one_and_changes_nothing(chopbar, restaurant_id, typed):
    before = (await dish(chopbar, restaurant_id)).price_xaf
    await text(chopbar, OWNER, typed)
    assert (await dish(chopbar, restaurant_id)).price_xaf == before
    assert await last(chopbar, OWNER) == ("Envoyez PRIX <numéro du plat> <montant>, ex. PRIX 3 2500. "
                                          "Montants de 50 FCFA à 1 000 000 FCFA.")


async def test_a_price_for_a_dish_not_on_the_menu_says_so(chopbar, restaurant_id):
    await text(chopbar, MANAGER, "PRICE 99 2500")
    assert await last(chopbar, MANAGER) == "No dish 99 on your menu. Dish numbers are in the menu list."


@pytest.mark.parametrize("phone", EVERYONE)
async def test_every_number_marks_a_dish_sold_out_then_available_again(chopbar, restaurant_id, phone):
    await text(chopbar, phone, say(phone, "EPUISE 1", "SOLDOUT 1"))
    assert not (await dish(chopbar, restaurant_id)).available
    assert say(phone, "Envoyez DISPO 1", "Send AVAILABLE 1") in await last(chopbar, phone)
    await text(chopbar, phone, say(phone, "dispo 1", "Available 1"))
    assert (await dish(chopbar, restaurant_id)).available
    assert say(phone, "de nouveau disponible", "is on sale again") in await last(chopbar, phone)


@pytest.mark.parametrize("typed", ["DISPP 1", "disponible 1", "AVAILBALE 1"])
async def test_available_with_a_typo_or_its_long_form(chopbar, restaurant_id, typed):
    await text(chopbar, STAFF, "EPUISE 1")
    await text(chopbar, STAFF, typed)
    assert (await dish(chopbar, restaurant_id)).available


@pytest.mark.parametrize("typed", ["DISPO", "DISPO un", "EPUISE"])
async def test_available_or_sold_out_without_a_dish_number_says_what_to_send(chopbar, restaurant_id, typed):
    await text(chopbar, STAFF, typed)
    word = typed.split()[0]
    assert await last(chopbar, STAFF) == f"Envoyez {word} <numéro du plat>, ex. {word} 3. Les numéros sont ceux de votre menu."


async def test_available_for_a_dish_not_on_the_menu_says_so(chopbar, restaurant_id):
    await text(chopbar, BACKUP, "DISPO 99")
    assert await last(chopbar, BACKUP) == "Pas de plat 99 sur votre menu. Les numéros sont ceux du menu."


@pytest.mark.parametrize("phone", MAY_MANAGE)
async def test_the_report_counts_todays_orders_takings_by_method_and_the_best_dish(chopbar, restaurant_id, phone):
    db = chopbar.app[DATABASE]
    served = await placed_order(db, method="cash")
    await placed_order(db, method="cash")  # waits for an answer: counted, not served
    await text(chopbar, STAFF, f"OUI {served}")
    async with db.unit() as unit:
        order = await order_by_code(unit, served)
        line = order.lines[0]
    await text(chopbar, phone, say(phone, "BILAN", "report"))
    reply = await last(chopbar, phone)
    food = f"{order.subtotal_xaf:,}".replace(",", say(phone, " ", ","))
    assert say(phone, f": 2 commandes, 1 servies. Recettes {food} FCFA: espèces {food} FCFA, MTN 0 FCFA",
               f": 2 orders, 1 served. Takings {food} FCFA: cash {food} FCFA, MTN 0 FCFA") in reply
    assert reply.endswith(say(phone, f"Top: {line.name_fr} x{line.quantity}.", f"Best: {line.name_en} x{line.quantity}."))


async def test_a_report_of_a_quiet_day_has_no_best_dish(chopbar, restaurant_id):
    await text(chopbar, OWNER, "Bilna")
    reply = await last(chopbar, OWNER)
    assert ": 0 commandes, 0 servies. Recettes 0 FCFA" in reply and "Top" not in reply


@pytest.mark.parametrize("phone", MAY_NOT_MANAGE)
async def test_staff_and_the_backup_console_are_refused_the_report(chopbar, restaurant_id, phone):
    await text(chopbar, phone, "BILAN")
    assert await last(chopbar, phone) == REFUSED["fr"].format(word="BILAN")


@pytest.mark.parametrize("phone", MAY_MANAGE)
async def test_auto_on_accepts_the_next_order_at_once_and_auto_off_stops(chopbar, restaurant_id, phone):
    await text(chopbar, phone, "AUTO ON 30")
    assert say(phone, "AUTO en marche", "AUTO is on") in await last(chopbar, phone)
    assert "30 min" in await last(chopbar, phone)
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    assert await status_of(chopbar, code) == "ACCEPTED"
    assert "Prête dans environ 30 min" in await last(chopbar, demo.CUSTOMER_FR.phone)
    assert "(AUTO)" in await last(chopbar, MAIN)
    await text(chopbar, phone, "auto off")
    assert say(phone, "AUTO arrêté", "AUTO is off") in await last(chopbar, phone)
    later = await placed_order(chopbar.app[DATABASE], method="cash")
    assert await status_of(chopbar, later) == "PENDING_RESTAURANT"
    assert not (await restaurant_row(chopbar, restaurant_id)).auto_accept


@pytest.mark.parametrize("phone", MAY_NOT_MANAGE)
async def test_staff_and_the_backup_console_are_refused_auto(chopbar, restaurant_id, phone):
    await text(chopbar, phone, "AUTO ON")
    assert await last(chopbar, phone) == REFUSED["fr"].format(word="AUTO")
    assert not (await restaurant_row(chopbar, restaurant_id)).auto_accept


@pytest.mark.parametrize("typed", ["AUTO", "AUTO MAYBE", "AUTO ON 500", "AUTO ON 2", "AUTO OFF 20", "AUTO ON vite"])
async def test_a_bad_auto_says_what_to_send(chopbar, restaurant_id, typed):
    await text(chopbar, OWNER, typed)
    assert await last(chopbar, OWNER) == ("Envoyez AUTO ON [minutes, de 5 à 180] pour accepter chaque commande "
                                          "d'office, ou AUTO OFF.")
    assert not (await restaurant_row(chopbar, restaurant_id)).auto_accept


async def test_auto_with_a_typo(chopbar, restaurant_id):
    await text(chopbar, MANAGER, "AUOT on")
    assert (await restaurant_row(chopbar, restaurant_id)).auto_accept


@pytest.mark.parametrize("phone", EVERYONE)
async def test_every_number_answers_orders(chopbar, restaurant_id, phone):
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    await text(chopbar, phone, say(phone, f"OUI {code} 20", f"ACCEPT {code} 20"))
    assert await status_of(chopbar, code) == "ACCEPTED"
    await text(chopbar, phone, say(phone, f"PRET {code}", f"READY {code}"))
    assert await status_of(chopbar, code) == "READY"


@pytest.mark.parametrize("phone", EVERYONE)
async def test_every_number_hands_over_a_cash_pickup_once(chopbar, restaurant_id, phone):
    code = await placed_order(chopbar.app[DATABASE], method="cash", pickup=True)
    await text(chopbar, phone, f"OUI {code}")
    await text(chopbar, phone, f"PRET {code}")
    await text(chopbar, phone, say(phone, f"REMIS {code}", f"collected {code}"))
    assert await status_of(chopbar, code) == "COMPLETED"
    async with chopbar.app[DATABASE].unit() as unit:
        total = (await order_by_code(unit, code)).total_xaf
    amount = f"{total:,}".replace(",", say(phone, " ", ","))
    assert await last(chopbar, phone) == say(phone, f"Commande {code} remise: {amount} FCFA encaissés en espèces au comptoir.",
                                             f"Order {code} collected: {amount} FCFA taken in cash at the counter.")
    await text(chopbar, phone, say(phone, f"REMIS {code}", f"COLLECTED {code}"))
    assert await last(chopbar, phone) == say(phone, f"La commande {code} a déjà été remise: rien n'a changé.",
                                             f"Order {code} was collected already: nothing changed.")
    *_, collected, rate = await inbox(chopbar, demo.CUSTOMER_FR.phone)  # then the request for a rating
    assert f"Commande {code} retirée" in collected and f"Comment était la commande {code}" in rate


async def test_a_delivery_order_is_not_collected_at_the_counter(chopbar, restaurant_id):
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    await text(chopbar, STAFF, f"OUI {code}")
    await text(chopbar, STAFF, f"PRET {code}")
    await text(chopbar, STAFF, f"REMIS {code}")
    assert await last(chopbar, STAFF) == f"La commande {code} est à livrer: le livreur la prend avec RECUPERE."
    assert await status_of(chopbar, code) == "READY"


@pytest.mark.parametrize("typed,reply", [
    ("REMIS", "Envoyez REMIS <code> quand le client retire sa commande."),
    ("REMIS 482138", "482138 n'est pas un code de commande valide. Vérifiez et réessayez."),
])
async def test_collected_without_a_good_code_says_so(chopbar, restaurant_id, typed, reply):
    await text(chopbar, STAFF, typed)
    assert await last(chopbar, STAFF) == reply


async def test_the_help_lists_the_keywords_in_one_sms(chopbar, restaurant_id):
    await text(chopbar, STAFF, "AIDE")
    reply = await last(chopbar, STAFF)
    assert all(word in reply for word in ("OUI", "REMIS", "EPUISE/DISPO", "PRIX", "BILAN", "AUTO ON/OFF")) and len(reply) <= 160


async def test_someone_of_two_restaurants_manages_where_their_role_is_strongest_and_answers_orders_of_both(chopbar, restaurant_id):
    db = chopbar.app[DATABASE]
    async with db.unit() as unit:
        other = await unit.session.scalar(select(Restaurant).where(Restaurant.id != restaurant_id, Restaurant.city == "Douala"))
        staff = await demo.account(unit, STAFF)
        unit.session.add(Role(account_id=staff.id, role="owner", restaurant_id=other.id))
        other_id = other.id
    await text(chopbar, STAFF, "PRIX 1 4321")
    assert (await dish(chopbar, other_id)).price_xaf == 4321
    assert (await dish(chopbar, restaurant_id)).price_xaf != 4321
    code = await placed_order(db, method="cash")  # an order of the restaurant where they are staff
    await text(chopbar, STAFF, f"OUI {code}")
    assert await status_of(chopbar, code) == "ACCEPTED"


async def test_a_number_with_no_role_left_is_a_customer_again(chopbar, restaurant_id):
    async with chopbar.app[DATABASE].unit() as unit:
        for role in list((await demo.account(unit, STAFF)).roles):
            await unit.session.delete(role)
    await text(chopbar, STAFF, "BILAN")
    assert await last(chopbar, STAFF) == "Désolé, nous n'avons pas compris. Envoyez AIDE pour les mots-clés."
    assert not any("Recettes" in m or "Désolé, seuls" in m for m in await inbox(chopbar, STAFF))
