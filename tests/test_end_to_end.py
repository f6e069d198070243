"""One order from start to finish over HTTP, as every outside system sees it: dialled by USSD,
paid by MTN MoMo, accepted by the restaurant's SMS, delivered by a driver, the money split."""
from sqlalchemy import select

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.jobs import PaymentJobs
from chopbar.providers import payment_router
from core import ledger
from core.delivery import DispatchRules, dispatch_due
from core.models import Account, Order
from tests import demo
from tests.channels.test_payments_over_http import MTN_CUSTOMER, settle, ussd_order
from tests.sms import inbox, last, text
from core.sealing import blind

DRIVER = next(p for p in demo.demo_data.PEOPLE if p.role == "driver" and p.language == "en" and p.city == "Yaounde")
RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


async def test_dial_pay_accept_dispatch_take_pick_up_hand_over_and_split(chopbar, settings):
    book = chopbar.app[SIM_PAYMENTS]
    payments = PaymentJobs(chopbar.app[DATABASE], payment_router(settings))
    try:
        code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money", deliver=True)
        await settle(payments, book)
        asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
        await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
        await settle(payments, book)
    finally:
        await payments.router.close()
    await text(chopbar, DRIVER.phone, "ON")
    await text(chopbar, RESTAURANT, f"OUI {code} 10")
    assert "Ready in about 10 min" in await last(chopbar, MTN_CUSTOMER)
    async with chopbar.app[DATABASE].unit() as unit:
        await dispatch_due(unit, DispatchRules())
    assert f"TAKE {code}" in await last(chopbar, DRIVER.phone)
    await text(chopbar, DRIVER.phone, f"take {code}")
    assert (await last(chopbar, DRIVER.phone)).startswith(f"Job {code} is yours")
    await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, DRIVER.phone, f"pickup {code}")
    to_customer = await last(chopbar, MTN_CUSTOMER)
    assert to_customer.startswith(f"Order {code} is on the way with Kevin")
    handover = to_customer.rsplit(" ", 1)[1]
    await text(chopbar, DRIVER.phone, f"DONE {code} {handover}")
    assert (await last(chopbar, DRIVER.phone)).startswith(f"Order {code} delivered")
    *_, delivered, rate = await inbox(chopbar, MTN_CUSTOMER)  # then the request for a rating
    assert "Enjoy your meal" in delivered and f"How was order {code}?" in rate
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        driver = await unit.session.scalar(select(Account).where(Account.phone_key == blind(DRIVER.phone)))
        assert order.status == "COMPLETED"
        assert await ledger.balance(unit, f"escrow:order:{code}") == 0
        assert await ledger.balance(unit, f"driver:{driver.id}") == -order.delivery_fee_xaf
        assert await ledger.balance(unit, f"restaurant:{order.restaurant_id}") + await ledger.balance(unit, "platform") == -order.subtotal_xaf
        assert await ledger.balance(unit, "provider:mtn") == order.total_xaf
        assert await ledger.is_balanced(unit)
