"""A declined or expired mobile-money prompt, answered over HTTP: by SMS (1, 2 or the words), by
USSD from the main menu, by WhatsApp through the same dialog; the window lapsing; the ledger."""

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from chopbar.worker import jobs_for
from core import ledger
from core.models import Order, Payment
from tests import demo
from tests.channels.test_payments_over_http import MTN_CUSTOMER, ORANGE_CUSTOMER, settle, ussd_order
from tests.sms import inbox, last, text
from tests.ussd import entries, gateway_for, pick

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


async def prompts(chopbar, phone: str) -> list[dict]:
    return await (await chopbar.get("/sim/payments", params={"phone": phone})).json()


async def decline_newest(chopbar, worker, book, phone: str) -> None:
    await settle(worker, book)
    newest = (await prompts(chopbar, phone))[0]
    assert newest["status"] == "pending"
    assert (await chopbar.post(f"/sim/payments/{newest['reference']}/decline")).status == 200
    await settle(worker, book)


async def declined_order(chopbar, worker, book, phone: str = MTN_CUSTOMER, method: str = "MTN Mobile Money", **how) -> str:
    """A USSD order whose first mobile-money prompt the payer declined: the offer is out."""
    code = await ussd_order(chopbar, phone, method, **how)
    await decline_newest(chopbar, worker, book, phone)
    return code


async def order_and_payments(chopbar, code: str):
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        paid = list(await unit.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)))
        return order, paid


async def restaurant_heard_of(chopbar, code: str) -> bool:
    return any(f"ACCEPT {code}" in m or f"OUI {code}" in m for m in await inbox(chopbar, RESTAURANT))


async def test_the_offer_is_one_sms_in_the_customers_language(chopbar, worker, book):
    code = await declined_order(chopbar, worker, book)  # Ngozi reads English
    offers = [m for m in await inbox(chopbar, MTN_CUSTOMER) if "Reply 1" in m]
    assert offers == [f"Payment for order {code} was declined. Reply 1 to try again or 2 to pay cash at the counter, "
                      "within 15 min. Or dial *384*2468#"]
    french = await declined_order(chopbar, worker, book, ORANGE_CUSTOMER, "Orange Money", deliver=True)
    assert (await last(chopbar, ORANGE_CUSTOMER)).startswith(f"Paiement de la commande {french} refusé. Répondez 1 pour réessayer")
    order, _ = await order_and_payments(chopbar, french)
    assert order.status == "AWAITING_PAYMENT"


@pytest.mark.parametrize("answer", ["1", "retry", " Reessayer "])
async def test_replying_1_prompts_the_payer_again_and_paying_sends_the_order_to_the_restaurant(chopbar, worker, book, answer):
    code = await declined_order(chopbar, worker, book)
    assert await text(chopbar, MTN_CUSTOMER, answer) == 200
    assert await last(chopbar, MTN_CUSTOMER) == f"Order {code}: approve the new payment of 4,000 FCFA on 677000002 now."
    await settle(worker, book)
    asked = await prompts(chopbar, MTN_CUSTOMER)
    assert [p["status"] for p in asked] == ["pending", "failed"]  # a new prompt, same payer
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    order, (first, second) = await order_and_payments(chopbar, code)
    assert (order.status, first.status, second.status) == ("PENDING_RESTAURANT", "FAILED", "SUCCEEDED")
    assert await restaurant_heard_of(chopbar, code)
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balance(unit, f"escrow:order:{code}") == -order.total_xaf
        assert await ledger.is_balanced(unit)


@pytest.mark.parametrize("answer", ["2", "CASH", "especes"])
async def test_replying_2_sends_the_order_to_the_restaurant_as_cash(chopbar, worker, book, answer):
    code = await declined_order(chopbar, worker, book, ORANGE_CUSTOMER, "Orange Money", deliver=True)
    assert not await restaurant_heard_of(chopbar, code)
    await text(chopbar, ORANGE_CUSTOMER, answer)
    assert (await last(chopbar, ORANGE_CUSTOMER)).startswith(f"Commande {code} envoyée à Chez Maman Ngo. Payez ")
    assert "en espèces à la livraison" in await last(chopbar, ORANGE_CUSTOMER)
    order, (first, cash) = await order_and_payments(chopbar, code)
    assert (order.status, order.payment_method, cash.method, cash.status) == ("PENDING_RESTAURANT", "cash", "cash", "PENDING")
    assert await restaurant_heard_of(chopbar, code)
    await text(chopbar, RESTAURANT, f"OUI {code} 20")
    assert (await order_and_payments(chopbar, code))[0].status == "ACCEPTED"
    await settle(worker, book)
    assert len(await prompts(chopbar, ORANGE_CUSTOMER)) == 1  # nobody is prompted again
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balances(unit, "escrow:") == {} and await ledger.is_balanced(unit)


async def test_a_second_decline_cancels_the_order_with_todays_message(chopbar, worker, book):
    code = await declined_order(chopbar, worker, book)
    await text(chopbar, MTN_CUSTOMER, "1")
    await decline_newest(chopbar, worker, book, MTN_CUSTOMER)
    order, paid = await order_and_payments(chopbar, code)
    assert (order.status, order.cancelled_by, [p.status for p in paid]) == ("CANCELLED", "payment", ["FAILED", "FAILED"])
    assert await last(chopbar, MTN_CUSTOMER) == f"The payment for order {code} was declined, so the order is cancelled. Nothing was taken."
    assert sum("Reply 1" in m for m in await inbox(chopbar, MTN_CUSTOMER)) == 1  # one offer, never two
    await text(chopbar, MTN_CUSTOMER, "2")
    assert (await last(chopbar, MTN_CUSTOMER)).startswith(f"Too late: the time to pay order {code} is over")
    assert not await restaurant_heard_of(chopbar, code)


async def test_the_window_lapsing_cancels_the_order_and_a_late_1_is_told_it_is_too_late(chopbar, worker, book, clock):
    code = await declined_order(chopbar, worker, book)
    clock.advance(seconds=899)
    await settle(worker, book)
    assert (await order_and_payments(chopbar, code))[0].status == "AWAITING_PAYMENT"
    clock.advance(seconds=1)
    await settle(worker, book)
    order, paid = await order_and_payments(chopbar, code)
    assert (order.status, len(paid)) == ("CANCELLED", 1)
    assert "so the order is cancelled" in await last(chopbar, MTN_CUSTOMER)
    await text(chopbar, MTN_CUSTOMER, "1")
    assert await last(chopbar, MTN_CUSTOMER) == (
        f"Too late: the time to pay order {code} is over, so it is cancelled. Send MENU to order again."
    )
    assert len((await order_and_payments(chopbar, code))[1]) == 1 and len(await prompts(chopbar, MTN_CUSTOMER)) == 1


async def test_1_or_2_with_no_offer_gets_a_short_clear_reply(chopbar, worker, book):
    await text(chopbar, "+237677555090", "1")
    assert await last(chopbar, "+237677555090") == "Aucun paiement n'attend votre réponse. Envoyez STATUT pour votre commande ou MENU pour commander."
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    await text(chopbar, MTN_CUSTOMER, "2")
    assert await last(chopbar, MTN_CUSTOMER) == f"The payment request for order {code} is on its way. Approve it on your phone."
    assert (await order_and_payments(chopbar, code))[0].payment_method == "mtn"


async def test_the_ussd_main_menu_offers_to_finish_the_order_only_while_the_offer_stands(chopbar, worker, book):
    code = await declined_order(chopbar, worker, book, ORANGE_CUSTOMER, "Orange Money", deliver=True)
    session = gateway_for(chopbar).dial(ORANGE_CUSTOMER)
    home = (await session.open()).text
    assert f"1 Payer la commande {code}" in home
    screen = await pick(session, f"Payer la commande {code}")
    assert screen.startswith(f"Commande {code}: le paiement de 4 500 FCFA n'a pas abouti.") and "15 min pour choisir" in screen
    assert sorted(entries(screen).values()) == ["Especes a la livraison", "Reessayer Orange Money"]
    assert len(session.last.raw) <= 4 + 160
    done = await pick(session, "Especes")
    assert session.last.ended and done.startswith(f"Commande {code} envoyee a Chez Maman Ngo")
    assert (await session.replay()).text == done  # the gateway's retry shows the same, changes nothing
    order, paid = await order_and_payments(chopbar, code)
    assert (order.status, order.payment_method, len(paid)) == ("PENDING_RESTAURANT", "cash", 2)
    assert await restaurant_heard_of(chopbar, code)
    again = (await gateway_for(chopbar).dial(ORANGE_CUSTOMER).open()).text
    assert "Payer la commande" not in again


async def test_trying_again_from_the_ussd_menu_ends_the_session_then_prompts(chopbar, worker, book):
    code = await declined_order(chopbar, worker, book)
    session = gateway_for(chopbar).dial(MTN_CUSTOMER)
    await session.open()
    await pick(session, f"Pay for order {code}")
    done = await pick(session, "Try MTN Mobile Money again")
    assert session.last.ended and done == f"Order {code}: approve the payment of 4,000 FCFA on 677000002 now. Chez Maman Ngo gets it once paid."
    await settle(worker, book)
    assert [p["status"] for p in await prompts(chopbar, MTN_CUSTOMER)] == ["pending", "failed"]


async def test_whatsapp_finishes_the_order_through_the_same_dialog(chopbar, worker, book):
    code = await declined_order(chopbar, worker, book)

    async def say(body: str) -> str:
        answer = await chopbar.post("/sim/twilio/inbound", json={"from": MTN_CUSTOMER, "body": body, "whatsapp": True})
        return (await answer.json())["twiml"]

    home = await say("hi")
    assert f"1 Pay for order {code}" in home
    assert "Try MTN Mobile Money again" in await say("1")
    assert "sent to Chez Maman Ngo" in await say("2")
    order, _ = await order_and_payments(chopbar, code)
    assert (order.status, order.payment_method) == ("PENDING_RESTAURANT", "cash")


async def test_a_payer_who_declines_by_themselves_gets_one_second_chance(chopbar, worker, book):
    book.mode = "decline"  # CHOPBAR_SIM_MOMO=decline: every prompt is declined on the phone
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    await settle(worker, book)
    await book.drain()
    await settle(worker, book)
    assert (await order_and_payments(chopbar, code))[0].status == "AWAITING_PAYMENT"
    await text(chopbar, MTN_CUSTOMER, "1")
    for _ in range(3):
        await settle(worker, book)
        await book.drain()
    order, paid = await order_and_payments(chopbar, code)
    assert (order.status, [p.status for p in paid]) == ("CANCELLED", ["FAILED", "FAILED"])


async def test_the_worker_gets_the_window_from_its_settings(settings, db):
    jobs = {job.name: job for job in jobs_for(settings.model_copy(update=dict(payment_retry_window=120, ussd_code="*123#")), db)}
    rules = jobs["payments"].run.__self__.retry
    assert (rules.window_s, rules.ussd_code) == (120, "*123#")
    for job in jobs.values():
        if job.close is not None:
            await job.close()


async def test_the_app_tries_again_or_pays_cash_through_the_same_use_cases(chopbar, worker, book):
    from tests.channels.test_api_auth import bearer, sign_in

    code = await declined_order(chopbar, worker, book)
    tokens = await sign_in(chopbar, MTN_CUSTOMER)
    retry = await chopbar.post(f"/api/v1/orders/{code}/payment/retry", headers={**bearer(tokens), "Idempotency-Key": "retry-1"})
    assert retry.status == 202
    started = await retry.json()
    assert (started["status"], started["method"], started["payer_phone"]) == ("CREATED", "mtn", MTN_CUSTOMER)
    again = await chopbar.post(f"/api/v1/orders/{code}/payment/retry", headers={**bearer(tokens), "Idempotency-Key": "retry-1"})
    assert (again.status, await again.json()) == (202, started)  # the same answer, no second payment
    cash = await chopbar.post(f"/api/v1/orders/{code}/payment/cash", headers={**bearer(tokens), "Idempotency-Key": "cash-1"})
    assert cash.status == 409 and (await cash.json())["error"]["code"] == "no_retry_offer"
    await decline_newest(chopbar, worker, book, MTN_CUSTOMER)
    order, paid = await order_and_payments(chopbar, code)
    assert (order.status, len(paid)) == ("CANCELLED", 2)


async def test_the_app_pays_cash_instead_and_nobody_else_may(chopbar, worker, book):
    from tests.channels.test_api_auth import bearer, sign_in

    code = await declined_order(chopbar, worker, book)
    stranger = await sign_in(chopbar, ORANGE_CUSTOMER)
    refused = await chopbar.post(f"/api/v1/orders/{code}/payment/cash", headers={**bearer(stranger), "Idempotency-Key": "c-1"})
    assert refused.status == 404
    tokens = await sign_in(chopbar, MTN_CUSTOMER)
    cash = await chopbar.post(f"/api/v1/orders/{code}/payment/cash", headers={**bearer(tokens), "Idempotency-Key": "c-2"})
    assert cash.status == 200
    assert {k: (await cash.json())[k] for k in ("status", "payment_method")} == {"status": "PENDING_RESTAURANT", "payment_method": "cash"}
    assert await restaurant_heard_of(chopbar, code)
