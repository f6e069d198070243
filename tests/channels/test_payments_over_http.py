"""Mobile money end to end: USSD order, the simulated providers over HTTP, callbacks, the worker."""
import json

import stripe
from sqlalchemy import func, select

from channels.keys import DATABASE
from channels.payments.jobs import PaymentJobs
from chopbar.providers import payment_router
from core import ledger
from core.models import LedgerEntry, Order, Payment, ProcessedEvent
from simulators.stripe_sim import sign
from tests import demo
from tests.ussd import gateway_for, pick

MTN_CUSTOMER = "+237677000002"  # Ngozi, English, MTN prefix
ORANGE_CUSTOMER = "+237699000001"  # Aline, French, Orange prefix


async def settle(worker, book, clock=None, seconds: float = 0):
    """Runs the worker until it has nothing to do, letting callbacks arrive in between."""
    for _ in range(6):
        if clock is not None and seconds:
            clock.advance(seconds=seconds)
        await book.drain()
        while await worker.run():
            await book.drain()


async def ussd_order(chopbar, phone: str, method_label: str, *, other_number: str | None = None, deliver: bool = False) -> str:
    session = gateway_for(chopbar).dial(phone)
    home = (await session.open()).text
    english = home.startswith("Chopbar: what")
    await pick(session, "Order food" if english else "Commander a manger")
    await pick(session, "Yaounde")
    await pick(session, "Chez Maman Ngo")
    await pick(session, "Plates" if english else "Plats")
    await pick(session, "Poulet DG")
    while "(1-20)" not in session.last.text:
        await session.press("1")
    await session.press("1")
    await pick(session, "Checkout" if english else "Valider")
    if deliver:  # to the customer's saved address
        await pick(session, "Deliver to me" if english else "Me livrer")
        await session.press("1")
    else:
        await pick(session, "collect" if english else "emporter")
    await pick(session, method_label)
    if other_number:
        await pick(session, "Another number" if english else "Un autre")
        await session.press(other_number)
    else:
        await pick(session, "This number" if english else "Ce num")
    end = await pick(session, "Confirm" if english else "Confirmer")
    assert session.last.ended, end
    return end.split()[1].rstrip(":")


async def paid_momo_order(chopbar, worker, book) -> str:
    """Ngozi's MTN order by USSD, approved on her phone and waiting for the restaurant."""
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    return code


async def order_state(chopbar, code):
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        payment = await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))
        return order, payment


async def test_momo_order_goes_to_the_restaurant_only_after_the_payer_approves(chopbar, worker, book):
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status, payment.provider) == ("AWAITING_PAYMENT", "PENDING", "mtn")
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    assert asked[0]["provider"] == "mtn" and asked[0]["amount"] == order.total_xaf and asked[0]["status"] == "pending"
    restaurant_inbox = await (await chopbar.get("/sim/messages", params={"to": demo.ALL_DAY_YAOUNDE.phone})).json()
    assert not any(code in m["text"] for m in restaurant_inbox)
    approved = await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    assert approved.status == 200
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")
    restaurant_inbox = await (await chopbar.get("/sim/messages", params={"to": demo.ALL_DAY_YAOUNDE.phone})).json()
    assert any(f"OUI {code}" in m["text"] for m in restaurant_inbox)
    customer_inbox = await (await chopbar.get("/sim/messages", params={"to": MTN_CUSTOMER})).json()
    assert any("Payment of" in m["text"] and code in m["text"] for m in customer_inbox)


async def test_orange_money_goes_through_campay(chopbar, worker, book):
    code = await ussd_order(chopbar, ORANGE_CUSTOMER, "Orange Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": ORANGE_CUSTOMER.replace("+", " ")})).json()
    assert asked[0]["provider"] == "campay"
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status, payment.operator) == ("PENDING_RESTAURANT", "SUCCEEDED", "ORANGE")


async def test_a_declined_payment_offers_a_second_chance_then_cancels_the_order_and_tells_the_customer(chopbar, worker, book, clock):
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/decline")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("AWAITING_PAYMENT", "FAILED")
    inbox = await (await chopbar.get("/sim/messages", params={"to": MTN_CUSTOMER})).json()
    assert inbox[-1]["text"].startswith(f"Payment for order {code} was declined. Reply 1 to try again")
    await settle(worker, book, clock, seconds=300)  # no answer within the second chance's window
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("CANCELLED", "FAILED")
    inbox = await (await chopbar.get("/sim/messages", params={"to": MTN_CUSTOMER})).json()
    assert any("declined" in m["text"] and "cancelled" in m["text"] and code in m["text"] for m in inbox)


async def test_an_unanswered_prompt_expires_and_cancels_the_order_once_its_second_chance_lapses(chopbar, worker, book, clock):
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    await settle(worker, book, clock, seconds=120)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("AWAITING_PAYMENT", "EXPIRED")
    await settle(worker, book, clock, seconds=120)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("CANCELLED", "EXPIRED")


async def test_the_same_callback_three_times_captures_once(chopbar, worker, book):
    book.fault("mtn").callbacks = 3
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    async with chopbar.app[DATABASE].unit() as unit:
        captures = await unit.session.scalar(
            select(func.count(LedgerEntry.id)).where(LedgerEntry.payment_id == payment.id, LedgerEntry.kind == "capture")
        )
        seen = await unit.session.scalar(select(func.count(ProcessedEvent.id)).where(ProcessedEvent.provider == "mtn"))
        assert captures == 2 and seen == 1 and await ledger.is_balanced(unit)  # two legs, one movement
    assert payment.status == "SUCCEEDED"


async def test_a_forged_campay_webhook_gets_403_and_changes_nothing(chopbar):
    response = await chopbar.get(
        "/payments/campay/callback", params={"reference": "x", "status": "SUCCESSFUL", "signature": "eyJhbGciOiJub25lIn0.e30."}
    )
    assert response.status == 403
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(ProcessedEvent.id))) == 0


async def test_a_forged_stripe_webhook_gets_403(chopbar, settings):
    payload = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}}).encode()
    forged = await chopbar.post(
        "/payments/stripe/webhook", data=payload, headers={"Stripe-Signature": sign(payload, "whsec_wrong")}
    )
    assert forged.status == 403
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(ProcessedEvent.id))) == 0


def test_the_official_stripe_library_accepts_what_our_simulator_signs():
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {}}}).encode()
    event = stripe.Webhook.construct_event(payload, sign(payload, "whsec_abc"), "whsec_abc")
    assert event["id"] == "evt_1"


async def test_a_provider_that_fails_falls_over_to_campay_for_an_mtn_number(chopbar, worker, book):
    book.fault("mtn").fail_status = 503
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (payment.status, payment.provider) == ("PENDING", "campay")


async def test_pay_from_another_number_prompts_that_number_and_tells_both(chopbar, worker, book):
    code = await ussd_order(chopbar, ORANGE_CUSTOMER, "MTN Mobile Money", other_number="677123456")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": "+237677123456"})).json()
    assert asked and asked[0]["status"] == "pending"
    payer_inbox = await (await chopbar.get("/sim/messages", params={"to": "+237677123456"})).json()
    customer_inbox = await (await chopbar.get("/sim/messages", params={"to": ORANGE_CUSTOMER})).json()
    assert any(code in m["text"] for m in payer_inbox) and any("677123456" in m["text"] for m in customer_inbox)


async def test_a_provider_that_times_out_leaves_the_payment_unknown_until_a_status_check(chopbar, settings, book):

    jobs = PaymentJobs(chopbar.app[DATABASE], payment_router(settings.model_copy(update=dict(provider_timeout=1))))
    book.fault("mtn").delay_s = 1.5  # answers after our timeout: the request did reach MTN
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await jobs.run()
    order, payment = await order_state(chopbar, code)
    assert payment.status == "UNKNOWN"
    book.fault("mtn").delay_s = 0
    async with chopbar.app[DATABASE].unit() as unit:  # the next status check is due now
        (await unit.session.get(Payment, payment.id)).next_check_at = unit.now()
    await jobs.run()  # MTN never got it (the token call timed out): asked again
    order, payment = await order_state(chopbar, code)
    assert payment.status == "PENDING"
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    assert len(asked) == 1  # one prompt on the phone, not two
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await book.drain()
    while await jobs.run():
        await book.drain()
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")
    await jobs.router.close()


async def test_a_card_payment_from_the_app_is_confirmed_by_stripes_signed_event(chopbar, worker, book, db):
    from tests.payments import placed_order

    code = await placed_order(db, method="card")
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert payment.provider == "stripe" and payment.provider_reference.startswith("pi_")
    confirm = await chopbar.post(
        f"/sim/stripe/v1/payment_intents/{payment.provider_reference}/confirm",
        headers={"Authorization": "Bearer sk_test_app"},
    )
    assert confirm.status == 200
    approved = await chopbar.post(f"/sim/payments/{payment.provider_reference}/approve")
    assert approved.status == 200, await approved.text()
    await settle(worker, book)
    order, payment = await order_state(chopbar, code)
    assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")
