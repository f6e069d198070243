"""Delivery by drivers on basic phones: offers, one TAKE wins, pickup, handover code, the split."""
import asyncio

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core import ledger
from core.delivery import DispatchRules, dispatch_due
from core.models import Account, DeliveryJob, Order
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order
from tests.sms import inbox, last, text
from core.sealing import blind

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone
YAOUNDE_DRIVERS = [p for p in demo.demo_data.PEOPLE if p.role == "driver" and p.city == "Yaounde"]


async def online(chopbar, drivers=YAOUNDE_DRIVERS):
    for driver in drivers:
        await text(chopbar, driver.phone, "ON")


async def dispatch(chopbar, rules=DispatchRules()):
    async with chopbar.app[DATABASE].unit() as unit:
        return await dispatch_due(unit, rules)


async def accepted_order(chopbar, method="cash") -> str:
    code = await placed_order(chopbar.app[DATABASE], method=method)
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    return code


async def order(chopbar, code) -> Order:
    async with chopbar.app[DATABASE].unit() as unit:
        return await order_by_code(unit, code)


async def offered_to(chopbar) -> list[str]:
    return [d.phone for d in YAOUNDE_DRIVERS if any("PRENDRE" in m or "TAKE" in m for m in await inbox(chopbar, d.phone))]


async def picked_up_order(chopbar) -> tuple[str, str]:
    """A cash order accepted, taken by the first driver offered it, ready and picked up: its
    code and the driver's number (the customer now has the handover code)."""
    await online(chopbar)
    code = await accepted_order(chopbar)
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    await text(chopbar, driver, f"PRENDRE {code}")
    await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, driver, f"RECUPERE {code}")
    return code, driver


async def test_a_whole_delivery_from_offer_to_handover_splits_the_money(chopbar):
    await online(chopbar)
    code = await accepted_order(chopbar)
    assert await dispatch(chopbar) > 0
    offered = await offered_to(chopbar)
    assert offered
    driver = offered[0]
    await text(chopbar, driver, f"PRENDRE {code}")
    assert code in await last(chopbar, driver) and "RECUPERE" in await last(chopbar, driver)
    assert "arrive pour la commande" in await last(chopbar, RESTAURANT)
    await text(chopbar, driver, f"RECUPERE {code}")
    assert "impossible maintenant" in await last(chopbar, driver)  # not ready yet
    await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, driver, f"RECUPERE {code}")
    handover = (await order(chopbar, code)).handover_code
    customer_sms = await last(chopbar, demo.CUSTOMER_FR.phone)
    assert handover in customer_sms and "en route" in customer_sms
    wrong = "0000" if handover != "0000" else "1111"
    await text(chopbar, driver, f"LIVRE {code} {wrong}")
    assert "Mauvais code client" in await last(chopbar, driver)
    await text(chopbar, driver, f"LIVRE {code} {handover}")
    assert "livrée" in await last(chopbar, driver)
    done = await order(chopbar, code)
    assert done.status == "COMPLETED"
    async with chopbar.app[DATABASE].unit() as unit:
        account = await unit.session.scalar(select(Account).where(Account.phone_key == blind(driver)))
        assert await ledger.balance(unit, f"driver:{account.id}") == -done.delivery_fee_xaf
        assert await ledger.balance(unit, f"cash:driver:{account.id}") == done.total_xaf  # cash in hand
        assert await ledger.balance(unit, f"escrow:order:{code}") == 0
        assert await ledger.is_balanced(unit)
    await text(chopbar, driver, "GAINS")
    assert "1 courses" in await last(chopbar, driver)


async def test_two_drivers_racing_for_one_job_only_one_wins(chopbar):
    await online(chopbar)
    code = await accepted_order(chopbar)
    await dispatch(chopbar)
    first, second = (await offered_to(chopbar))[:2]
    await asyncio.gather(text(chopbar, first, f"PRENDRE {code}"), text(chopbar, second, f"PRENDRE {code}"))
    async with chopbar.app[DATABASE].unit() as unit:
        job = await unit.session.scalar(select(DeliveryJob).join(Order).where(Order.code == code))
        winner = await unit.session.get(Account, job.driver_account_id)
    loser = second if winner.phone == first else first
    assert winner.phone in (first, second) and job.status == "ASSIGNED"
    loser_inbox = " ".join(await inbox(chopbar, loser))
    assert "prise par un autre livreur" in loser_inbox or "Pas de course" in loser_inbox or "impossible" in loser_inbox


async def test_no_driver_online_alerts_support_and_tells_the_customer(chopbar, clock):
    code = await accepted_order(chopbar)
    await dispatch(chopbar)
    clock.advance(seconds=601)
    await dispatch(chopbar)
    support = next(p for p in demo.demo_data.PEOPLE if p.role == "support")
    assert code in await last(chopbar, support.phone)
    assert "cherchons encore un livreur" in await last(chopbar, demo.CUSTOMER_FR.phone)


async def test_a_driver_over_the_cash_cap_gets_no_cash_jobs(chopbar):
    await online(chopbar)
    code = await accepted_order(chopbar)
    await dispatch(chopbar, DispatchRules(cash_cap_xaf=0))
    assert await offered_to(chopbar) == []
    assert (await order(chopbar, code)).status == "ACCEPTED"


async def test_a_failed_delivery_tells_support_and_the_customer(chopbar):
    code, driver = await picked_up_order(chopbar)
    await text(chopbar, driver, f"ECHEC {code} personne ne repond")
    assert (await order(chopbar, code)).status == "DELIVERY_FAILED"
    assert "n'a pas pu livrer" in await last(chopbar, demo.CUSTOMER_FR.phone)


async def test_a_driver_cannot_take_a_job_not_offered_or_a_second_job(chopbar):
    await online(chopbar, YAOUNDE_DRIVERS[:1])
    driver = YAOUNDE_DRIVERS[0].phone
    first = await accepted_order(chopbar)
    second = await accepted_order(chopbar)
    await dispatch(chopbar)
    await text(chopbar, driver, f"PRENDRE {first}")
    await text(chopbar, driver, f"PRENDRE {second}")
    assert "Terminez d'abord" in await last(chopbar, driver) or "Pas de course" in await last(chopbar, driver)


@pytest.mark.parametrize("word", ["TAKE", "take", "PRENDRE"])
async def test_take_in_either_language(chopbar, word):
    await online(chopbar)
    code = await accepted_order(chopbar)
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    await text(chopbar, driver, f"{word} {code}")
    async with chopbar.app[DATABASE].unit() as unit:
        job = await unit.session.scalar(select(DeliveryJob).join(Order).where(Order.code == code))
    assert job.status == "ASSIGNED"
