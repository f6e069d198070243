"""What a customer reads when an order is cancelled: that it is, and for a paid one how and when
the money comes back; then the refund's own SMS once the worker has sent it."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core import ledger, notices
from core.acceptance import remind_and_expire
from core.formatting import gsm7_safe, sms_segments
from core.models import Order
from tests import demo
from tests.channels.test_payments_over_http import MTN_CUSTOMER, paid_momo_order, settle, ussd_order
from tests.payments import placed_order
from tests.sms import last, text
from tests.ussd import gateway_for, pick

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


async def status_of(chopbar, code: str) -> str:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await unit.session.scalar(select(Order).where(Order.code == code))).status


async def money_back(chopbar, code: str) -> None:
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balance(unit, f"escrow:order:{code}") == 0
        assert await ledger.is_balanced(unit)


async def test_a_rejected_paid_order_says_cancelled_and_refunded_to_the_paying_number_now(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    await text(chopbar, RESTAURANT, f"NON {code} plus de poulet")
    assert await status_of(chopbar, code) == "REJECTED"
    told = await last(chopbar, MTN_CUSTOMER)
    assert told == (f"Order {code} cancelled: Chez Maman Ngo refused it (plus de poulet). "
                    "Your 4,000 FCFA goes back to 677000002 by mobile money now; SMS to follow.")
    assert sms_segments(gsm7_safe(told)) == ("gsm7", 1)
    await settle(worker, book)
    assert await last(chopbar, MTN_CUSTOMER) == f"Refund of 4,000 FCFA for order {code} sent to your mobile money account."
    await money_back(chopbar, code)


async def test_a_rejected_cash_order_says_cancelled_and_nothing_to_pay(chopbar):
    code = await placed_order(chopbar.app[DATABASE], method="cash")
    await text(chopbar, RESTAURANT, f"REFUSER {code} fermé ce soir")
    assert await last(chopbar, demo.CUSTOMER_FR.phone) == (
        f"Commande {code} annulée: Chez Maman Ngo la refuse (ferme ce soir). Vous ne payez rien."
    )


async def test_a_paid_order_the_restaurant_never_answers_says_cancelled_and_refunded(chopbar, worker, book, settings, clock):
    code = await paid_momo_order(chopbar, worker, book)
    clock.advance(seconds=settings.accept_timeout + 1)
    async with chopbar.app[DATABASE].unit() as unit:
        await remind_and_expire(unit, settings.accept_timeout)
    assert await last(chopbar, MTN_CUSTOMER) == (
        f"Chez Maman Ngo did not answer in time, so order {code} is cancelled. "
        "Your 4,000 FCFA goes back to 677000002 by mobile money now; SMS to follow."
    )
    await settle(worker, book)
    assert "sent to your mobile money account" in await last(chopbar, MTN_CUSTOMER)
    await money_back(chopbar, code)


async def test_a_customer_who_cancels_a_paid_order_by_sms_is_told_how_the_money_comes_back(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    await text(chopbar, MTN_CUSTOMER, f"CANCEL {code}")
    assert await last(chopbar, MTN_CUSTOMER) == (
        f"Order {code} is cancelled. Your 4,000 FCFA goes back to 677000002 by mobile money now; SMS to follow."
    )
    await settle(worker, book)
    await money_back(chopbar, code)


async def test_a_customer_who_cancels_a_paid_order_by_ussd_reads_the_refund_and_that_the_restaurant_knows(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    session = gateway_for(chopbar).dial(MTN_CUSTOMER)
    await session.open()
    await pick(session, "My orders")
    await pick(session, code)
    await pick(session, "Cancel this order")
    done = await pick(session, "Yes, cancel it")
    assert session.last.ended and done == (
        f"Order {code} is cancelled. Your 4,000 FCFA goes back to 677000002 by mobile money now; SMS to follow. "
        "The restaurant has been told."
    )
    assert len(session.last.raw) <= 4 + 160


async def test_an_unpaid_order_cancelled_by_ussd_before_it_reached_the_restaurant_says_only_that(chopbar, worker, book):
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    session = gateway_for(chopbar).dial(MTN_CUSTOMER)
    await session.open()
    await pick(session, "My orders")
    await pick(session, code)
    await pick(session, "Cancel this order")
    assert await pick(session, "Yes, cancel it") == f"Order {code} is cancelled."


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_card_refund_is_promised_to_the_card(language):
    from types import SimpleNamespace

    order = SimpleNamespace(code="482137")
    card = SimpleNamespace(method="card", refund_due_xaf=12_500, amount_xaf=12_500, refunded_xaf=0, payer_phone=None)
    promise = notices.refund_promise(card, language)
    assert ("card" if language == "en" else "carte") in promise and "12" in promise
    sent = notices.refund_sent(order, card, 12_500, "provider", language)
    assert ("to your card" if language == "en" else "sur votre carte") in sent
