"""RETRAIT/PAYOUT by SMS: a restaurant's owner number and a driver ask for their money, in French
and English; the backup (staff) number is refused; the money is then sent and the SMS says so."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.payouts import PayoutJobs
from chopbar.providers import payout_sender
from core.formatting import gsm7_safe, sms_segments
from core.i18n import translate
from core.models import Payout
from core.payouts import GIVEN_UP_SMS, PAID_SMS, PayoutRules
from tests import demo
from tests.channels.test_payouts import driver_id, owe, restaurant_id, transfers_to
from tests.sms import last, text

RESTAURANT = demo.ALL_DAY_YAOUNDE
FRENCH_DRIVER, ENGLISH_DRIVER = "+237670000011", "+237651000013"  # Brice and Kevin, both MTN numbers


async def set_language(db, phone: str, language: str) -> None:
    async with db.unit() as unit:
        (await demo.account(unit, phone)).language = language


async def payouts_of(db) -> list[Payout]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(select(Payout).order_by(Payout.id)))


async def send(chopbar, settings, clock) -> None:
    jobs = PayoutJobs(chopbar.app[DATABASE], payout_sender(settings), PayoutRules())
    for _ in range(3):
        clock.advance(seconds=10)
        while await jobs.run():
            pass
    await jobs.sender.close()


@pytest.mark.parametrize("word", ["RETRAIT", " retrait ", "Retrai"])
async def test_a_restaurant_asks_for_its_payout_in_french_and_is_paid(chopbar, settings, clock, word):
    db = chopbar.app[DATABASE]
    await owe(db, "restaurant", await restaurant_id(db), 18_000)
    assert await text(chopbar, RESTAURANT.phone, word) == 200
    assert await last(chopbar, RESTAURANT.phone) == "18 000 FCFA en route vers le 6 77 10 00 01. Vous recevrez un SMS une fois envoyé."
    [payout] = await payouts_of(db)
    assert (payout.kind, payout.amount_xaf, payout.reason, payout.status) == ("restaurant", 18_000, "request", "APPROVED")
    await send(chopbar, settings, clock)
    assert (await last(chopbar, RESTAURANT.phone)).startswith("Chopbar vous a envoyé 18 000 FCFA au 6 77 10 00 01. Réf ")
    assert [t.amount for t in transfers_to(chopbar.app[SIM_PAYMENTS], RESTAURANT.phone)] == [18_000]


async def test_a_restaurant_asks_in_english_and_a_second_ask_starts_nothing(chopbar):
    db = chopbar.app[DATABASE]
    await set_language(db, RESTAURANT.phone, "en")
    await owe(db, "restaurant", await restaurant_id(db), 9_500)
    await text(chopbar, RESTAURANT.phone, "PAYOUT")
    assert await last(chopbar, RESTAURANT.phone) == "9,500 FCFA is on its way to 6 77 10 00 01. You get an SMS once it is sent."
    await text(chopbar, RESTAURANT.phone, "payout")
    assert await last(chopbar, RESTAURANT.phone) == "A payout of 9,500 FCFA is already on its way. You get an SMS once it is sent."
    assert len(await payouts_of(db)) == 1


async def test_the_backup_number_may_not_ask_for_the_restaurants_money(chopbar):
    db = chopbar.app[DATABASE]
    await owe(db, "restaurant", await restaurant_id(db), 9_500)
    await text(chopbar, RESTAURANT.backup_phone, "RETRAIT")
    assert await last(chopbar, RESTAURANT.backup_phone) == "Désolé, seul le propriétaire peut envoyer RETRAIT."
    assert await payouts_of(db) == []


async def test_a_payout_above_the_limit_is_said_to_wait_for_approval(chopbar):
    db = chopbar.app[DATABASE]
    await owe(db, "restaurant", await restaurant_id(db), 350_000)
    await text(chopbar, RESTAURANT.phone, "RETRAIT")
    assert await last(chopbar, RESTAURANT.phone) == (
        "Virement de 350 000 FCFA demandé. Au-dessus de 200 000 FCFA, Chopbar l'approuve d'abord; un SMS suivra à l'envoi."
    )
    [payout] = await payouts_of(db)
    assert payout.status == "AWAITING_APPROVAL"


async def test_a_driver_asks_in_french_and_in_english(chopbar, settings, clock):
    db = chopbar.app[DATABASE]
    await owe(db, "driver", await driver_id(db, ENGLISH_DRIVER), 4_300)
    await text(chopbar, ENGLISH_DRIVER, "PAYOUT")
    assert await last(chopbar, ENGLISH_DRIVER) == "4,300 FCFA is on its way to 6 51 00 00 13. You get an SMS once it is sent."
    await owe(db, "driver", await driver_id(db, FRENCH_DRIVER), 600)
    await text(chopbar, FRENCH_DRIVER, "RETRAIT")
    assert await last(chopbar, FRENCH_DRIVER) == "On vous doit 600 FCFA. Les virements commencent à 1 000 FCFA."
    await send(chopbar, settings, clock)
    assert (await last(chopbar, ENGLISH_DRIVER)).startswith("Chopbar sent you 4,300 FCFA on 6 51 00 00 13. Ref ")
    assert [(p.kind, p.amount_xaf, p.status) for p in await payouts_of(db)] == [("driver", 4_300, "PAID")]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("message", [PAID_SMS, GIVEN_UP_SMS])
def test_the_paid_and_given_up_messages_fit_one_segment(message, language):
    filled = gsm7_safe(translate(message, language, amount="350 000 FCFA", phone="6 77 10 00 01", ref="f81d4fae-7de"))
    assert sms_segments(filled) == ("gsm7", 1), filled
