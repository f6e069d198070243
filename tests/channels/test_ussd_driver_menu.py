"""A driver dials the same code and gets the driver menu: online, the current job, earnings."""
from sqlalchemy import select

from channels.keys import DATABASE
from core.delivery import DispatchRules, dispatch_due
from core.models import Order
from tests import demo
from tests.channels.test_delivery_by_sms import RESTAURANT, accepted_order
from tests.sms import text
from tests.ussd import gateway_for, pick

DRIVER = next(p for p in demo.demo_data.PEOPLE if p.role == "driver" and p.city == "Yaounde")


async def test_a_driver_goes_online_from_the_menu(chopbar):
    session = gateway_for(chopbar).dial(DRIVER.phone)
    home = (await session.open()).text
    assert home.startswith("Chopbar livreur") and "hors ligne" in home
    after = await pick(session, "Passer en ligne")
    assert "en ligne" in after.split("\n")[0] and "Passer hors ligne" in after


async def test_a_driver_picks_up_and_hands_over_from_the_menu(chopbar):
    await text(chopbar, DRIVER.phone, "ON")
    code = await accepted_order(chopbar)
    async with chopbar.app[DATABASE].unit() as unit:
        await dispatch_due(unit, DispatchRules())
    await text(chopbar, DRIVER.phone, f"PRENDRE {code}")
    await text(chopbar, RESTAURANT, f"PRET {code}")
    session = gateway_for(chopbar).dial(DRIVER.phone)
    await session.open()
    job = await pick(session, "Ma course en cours")
    assert code in job and "Chez Maman Ngo" in job
    await pick(session, "J'ai le repas")
    await pick(session, "Livre: saisir")
    wrong = await session.press("0000")
    async with chopbar.app[DATABASE].unit() as unit:
        handover = (await unit.session.scalar(select(Order).where(Order.code == code))).handover_code
    if handover != "0000":
        assert wrong.text.startswith("Mauvais code")
        await session.press(handover)
    async with chopbar.app[DATABASE].unit() as unit:
        assert (await unit.session.scalar(select(Order).where(Order.code == code))).status == "COMPLETED"
    await session.press("00")
    earnings = await pick(session, "Mes gains")
    assert "1 courses" in earnings
