"""SMS over Africa's Talking: restaurants, customers and drivers by keyword, in both languages."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Account, Driver, MenuItem, OutboxMessage, Restaurant
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order
from tests.sms import inbox, last, text
from core.sealing import blind

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


@pytest.fixture
async def pending_code(chopbar):
    return await placed_order(chopbar.app[DATABASE], method="cash")


async def status_of(chopbar, code):
    async with chopbar.app[DATABASE].unit() as unit:
        return (await order_by_code(unit, code)).status


@pytest.mark.parametrize("body", ["OUI {code} 20", "accept {code} 20", "  Accpet   {code} 20 "])
async def test_a_restaurant_accepts_by_sms_and_the_customer_is_told(chopbar, pending_code, body):
    assert await text(chopbar, RESTAURANT, body.format(code=pending_code)) == 200
    assert await status_of(chopbar, pending_code) == "ACCEPTED"
    assert "acceptée" in await last(chopbar, RESTAURANT)
    customer = await last(chopbar, demo.CUSTOMER_FR.phone)
    assert pending_code in customer and "20 min" in customer


async def test_a_restaurant_rejects_with_a_reason_in_english(chopbar, pending_code):
    async with chopbar.app[DATABASE].unit() as unit:
        (await unit.session.scalar(select(Account).where(Account.phone_key == blind(RESTAURANT)))).language = "en"
    await text(chopbar, RESTAURANT, f"REJECT {pending_code} no more chicken")
    assert await status_of(chopbar, pending_code) == "REJECTED"
    assert (await last(chopbar, RESTAURANT)).startswith(f"Order {pending_code} rejected")
    assert "no more chicken" in await last(chopbar, demo.CUSTOMER_FR.phone)


async def test_reject_without_a_reason_asks_for_one(chopbar, pending_code):
    await text(chopbar, RESTAURANT, f"NON {pending_code}")
    assert await status_of(chopbar, pending_code) == "PENDING_RESTAURANT"
    assert "raison" in await last(chopbar, RESTAURANT)


async def test_ready_after_accept_tells_the_customer(chopbar, pending_code):
    await text(chopbar, RESTAURANT, f"OUI {pending_code}")
    await text(chopbar, RESTAURANT, f"PRET {pending_code}")
    assert await status_of(chopbar, pending_code) == "READY"
    assert "prête" in await last(chopbar, demo.CUSTOMER_FR.phone)


async def test_a_mistyped_code_is_refused_not_matched_to_another_order(chopbar, pending_code):
    wrong = pending_code[:-1] + str((int(pending_code[-1]) + 1) % 10)
    await text(chopbar, RESTAURANT, f"OUI {wrong}")
    assert await status_of(chopbar, pending_code) == "PENDING_RESTAURANT"
    assert "pas un code de commande valide" in await last(chopbar, RESTAURANT)


async def test_the_same_inbound_id_twice_gets_one_reply(chopbar, pending_code):
    await text(chopbar, RESTAURANT, f"OUI {pending_code}", message_id="ATXid_same")
    await text(chopbar, RESTAURANT, f"OUI {pending_code}", message_id="ATXid_same")
    assert sum("acceptée" in m for m in await inbox(chopbar, RESTAURANT)) == 1


async def test_close_open_and_sold_out_from_the_console(chopbar):
    await text(chopbar, RESTAURANT, "FERME")
    async with chopbar.app[DATABASE].unit() as unit:
        restaurant = await unit.session.scalar(select(Restaurant).where(Restaurant.phone_key == blind(RESTAURANT)))
        assert restaurant.paused
    await text(chopbar, RESTAURANT, "ouvre")
    await text(chopbar, RESTAURANT, "EPUISE 1")
    async with chopbar.app[DATABASE].unit() as unit:
        restaurant = await unit.session.scalar(select(Restaurant).where(Restaurant.phone_key == blind(RESTAURANT)))
        assert not restaurant.paused
        dish = await unit.session.scalar(select(MenuItem).where(MenuItem.restaurant_id == restaurant.id, MenuItem.position == 1))
        assert not dish.available
    assert "épuisé" in await last(chopbar, RESTAURANT)


async def test_customer_status_cancel_and_language(chopbar, pending_code):
    phone = demo.CUSTOMER_FR.phone
    await text(chopbar, phone, "statut")
    assert pending_code in await last(chopbar, phone) and "En attente du restaurant" in await last(chopbar, phone)
    await text(chopbar, phone, "LANG EN")
    assert await last(chopbar, phone) == "Language set to English."
    await text(chopbar, phone, "cancle")
    assert await last(chopbar, phone) == f"Order {pending_code} is cancelled."
    assert await status_of(chopbar, pending_code) == "CANCELLED"


async def test_stop_silences_everything_but_its_own_confirmation(chopbar):
    phone = "+237699555020"
    await text(chopbar, phone, "STOP")
    await text(chopbar, phone, "aide")
    async with chopbar.app[DATABASE].unit() as unit:
        account = await unit.session.scalar(select(Account).where(Account.phone_key == blind(phone)))
        assert account.opted_out
        kinds = list(await unit.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_phone_key == blind(phone))))
    assert kinds == ["account.stopped", "customer.reply"]  # the worker drops the second (tested there)


async def test_a_driver_goes_online_and_offline(chopbar):
    driver = next(p for p in demo.demo_data.PEOPLE if p.role == "driver")
    await text(chopbar, driver.phone, "on")
    async with chopbar.app[DATABASE].unit() as unit:
        account = await unit.session.scalar(select(Account).where(Account.phone_key == blind(driver.phone)))
        assert (await unit.session.get(Driver, account.id)).online
    await text(chopbar, driver.phone, "OFF")
    assert "hors ligne" in await last(chopbar, driver.phone)


async def test_a_whole_order_by_sms_menu_order_yes(chopbar):
    phone = "+237677555030"  # MTN, new, French by default
    await text(chopbar, phone, "MENU bastos")
    listing = await last(chopbar, phone)
    assert listing.startswith("Restaurants près de Bastos: 1 ")
    await text(chopbar, phone, "MENU 1")
    assert "COMMANDE 1" in await last(chopbar, phone)
    await text(chopbar, phone, "COMMANDE 1 2x2 ESPECES")
    assert "quartier" in await last(chopbar, phone)
    await text(chopbar, phone, "Bastos, face Total")
    quote = await last(chopbar, phone)
    assert "Répondez OUI" in quote and "en espèces" in quote
    await text(chopbar, phone, "oui")
    placed = await last(chopbar, phone)
    assert placed.startswith("Commande ") and "espèces" in placed
    code = placed.split()[1]
    assert await status_of(chopbar, code) == "PENDING_RESTAURANT"


async def test_missing_fields_are_a_400(chopbar):
    response = await chopbar.post("/sms/africastalking", data={"from": "+237699000001"})
    assert response.status == 400


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None, max_examples=40)
@given(body=st.text(max_size=200), sender=st.sampled_from([RESTAURANT, "+237699555040", demo.CUSTOMER_EN.phone, "+237670000011"]))
async def test_random_sms_bodies_never_give_a_5xx(chopbar, body, sender):
    assert await text(chopbar, sender, body) < 500


async def english_console(chopbar):
    async with chopbar.app[DATABASE].unit() as unit:
        (await unit.session.scalar(select(Account).where(Account.phone_key == blind(RESTAURANT)))).language = "en"


async def test_an_english_restaurant_accepts_and_marks_ready_and_an_english_customer_hears_each(chopbar):
    await english_console(chopbar)
    code = await placed_order(chopbar.app[DATABASE], method="cash", phone=demo.CUSTOMER_EN.phone)
    async with chopbar.app[DATABASE].unit() as unit:
        (await order_by_code(unit, code)).language = "en"
    await text(chopbar, RESTAURANT, f"ACCEPT {code} 25")
    assert (await last(chopbar, RESTAURANT)).startswith(f"Order {code} accepted")
    assert "Ready in about 25 min" in await last(chopbar, demo.CUSTOMER_EN.phone)
    await text(chopbar, RESTAURANT, f"READY {code}")
    assert await last(chopbar, RESTAURANT) == f"Order {code} marked ready."
    assert f"Your order {code} is ready" in await last(chopbar, demo.CUSTOMER_EN.phone)


async def test_a_silent_restaurant_is_reminded_then_the_order_expires_and_the_customer_is_told(chopbar, clock, settings):
    from core.acceptance import remind_and_expire

    code = await placed_order(chopbar.app[DATABASE], method="cash")
    clock.advance(seconds=settings.accept_timeout / 2 + 1)
    async with chopbar.app[DATABASE].unit() as unit:
        await remind_and_expire(unit, settings.accept_timeout)
    assert (await last(chopbar, RESTAURANT)).startswith(f"Rappel: la commande {code}")
    assert (await last(chopbar, demo.ALL_DAY_YAOUNDE.backup_phone)).startswith("Rappel")
    clock.advance(seconds=settings.accept_timeout / 2)
    async with chopbar.app[DATABASE].unit() as unit:
        await remind_and_expire(unit, settings.accept_timeout)
    assert await status_of(chopbar, code) == "EXPIRED"
    assert "n'a pas répondu à temps" in await last(chopbar, demo.CUSTOMER_FR.phone)
    await text(chopbar, RESTAURANT, f"OUI {code}")
    assert "Rien n'a changé" in await last(chopbar, RESTAURANT)
