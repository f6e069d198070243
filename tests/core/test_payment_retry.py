"""A second chance to pay: offered once, try again or cash, lapsing, and the ledger through it all."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from core import ledger, order_changes, payment_retry, payments
from core.errors import ChopbarError, NotFound
from core.formatting import gsm7_safe, sms_segments
from core.models import LedgerEntry, OutboxMessage, Payment
from core.orders import order_by_code
from tests import demo
from tests.payments import placed_order

RULES = payment_retry.RetryRules(window_s=900, ussd_code="*384*2468#")
PAYMENT_WINDOW_S = 300


async def answer(db, code: str, status: str, *, which: str = "latest") -> None:
    """The provider's status answer for the order's latest (or first) payment, as the worker applies it."""
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await _payment(unit, order, which)
        if payment.method == "cash":
            return  # no provider answers for cash: the driver collects it
        if status == "expired":
            await payments.expire(unit, payment, retry=RULES)
        else:
            await payments.apply_answer(unit, payment, payments.ProviderAnswer(status), actor="test", retry=RULES)


async def _payment(unit, order, which: str) -> Payment:
    if which == "latest":
        return await payments.payment_for(unit, order)
    return await unit.session.scalar(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id))


async def seen(db, code: str):
    """The order, its payments oldest first, and the kinds of message queued about it."""
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        paid = list(await unit.session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)))
        kinds = list(await unit.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.order_id == order.id).order_by(OutboxMessage.id)
        ))
        return order, paid, kinds


async def customer_does(db, code: str, what: str, phone: str = demo.CUSTOMER_FR.phone):
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        customer = await demo.account(unit, phone)
        if what == "try_again":
            return await payment_retry.try_again(unit, order, customer, window_s=PAYMENT_WINDOW_S)
        return await payment_retry.pay_cash_instead(unit, order, customer, window_s=PAYMENT_WINDOW_S)


async def lapse(db) -> int:
    async with db.unit() as unit:
        return await payment_retry.give_up_lapsed(unit)


@pytest.mark.parametrize("status,kind", [("failed", "payment.failed"), ("expired", "payment.expired")])
async def test_a_first_decline_or_expiry_keeps_the_order_waiting_and_offers_once(db, clock, status, kind):
    code = await placed_order(db)
    await answer(db, code, status)
    order, (payment,), kinds = await seen(db, code)
    assert order.status == "AWAITING_PAYMENT" and payment.status == status.upper()
    assert order.payment_retry_until == clock.now + timedelta(seconds=RULES.window_s)
    assert kinds == ["payment.retry_offered"]
    async with db.unit() as unit:
        body = await unit.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "payment.retry_offered"))
    assert code in body and "Répondez 1" in body and "2 pour payer en espèces à la livraison" in body and "*384*2468#" in body


@pytest.mark.parametrize("method", ["card", "cash"])
async def test_card_and_cash_orders_get_no_second_chance(db, method):
    code = await placed_order(db, method=method)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        payment = await payments.payment_for(unit, order)
        offered = await payment_retry.offer(unit, order, payment, declined=True, rules=RULES)
    assert not offered


async def test_without_rules_a_decline_cancels_as_before(db):
    code = await placed_order(db)
    async with db.unit() as unit:
        payment = await payments.payment_for(unit, await order_by_code(unit, code))
        await payments.apply_answer(unit, payment, payments.ProviderAnswer("failed"), actor="test")
    order, _, kinds = await seen(db, code)
    assert order.status == "CANCELLED" and kinds == ["payment.failed"]


async def test_trying_again_opens_a_new_payment_with_the_same_method_and_payer_that_pays_the_order(db):
    code = await placed_order(db)
    await answer(db, code, "failed")
    new = await customer_does(db, code, "try_again")
    order, (first, second), _ = await seen(db, code)
    assert second.id == new.id and second.status == "CREATED"
    assert (second.method, second.payer_phone, second.amount_xaf) == (first.method, first.payer_phone, first.amount_xaf)
    assert second.next_check_at is not None  # the worker prompts it as any new payment
    await answer(db, code, "successful")
    order, (first, second), kinds = await seen(db, code)
    assert (order.status, first.status, second.status) == ("PENDING_RESTAURANT", "FAILED", "SUCCEEDED")
    assert "order.new_for_restaurant" in kinds and "payment.received" in kinds
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"escrow:order:{code}") == -order.total_xaf
        assert await ledger.is_balanced(unit)


@pytest.mark.parametrize("second", ["failed", "expired"])
async def test_a_second_decline_or_expiry_cancels_the_order(db, second):
    code = await placed_order(db)
    await answer(db, code, "expired")
    await customer_does(db, code, "try_again")
    await answer(db, code, second)
    order, payments_, kinds = await seen(db, code)
    assert (order.status, order.cancelled_by) == ("CANCELLED", "payment")
    assert kinds == ["payment.retry_offered", f"payment.{second}"]
    assert [p.status for p in payments_] == ["EXPIRED", second.upper()]


async def test_paying_cash_instead_sends_the_order_to_the_restaurant_as_a_cash_order(db, clock):
    code = await placed_order(db)
    await answer(db, code, "failed")
    clock.advance(minutes=5)
    await customer_does(db, code, "pay_cash")
    order, (first, cash), kinds = await seen(db, code)
    assert (order.status, order.payment_method, order.reached_restaurant_at) == ("PENDING_RESTAURANT", "cash", clock.now)
    assert (first.status, cash.method, cash.status, cash.next_check_at) == ("FAILED", "cash", "PENDING", None)
    assert kinds == ["payment.retry_offered", "order.new_for_restaurant"]
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        to = await unit.session.scalar(select(OutboxMessage.to_phone).where(OutboxMessage.kind == "order.new_for_restaurant"))
        assert to == restaurant.phone
        assert await ledger.balances(unit, "escrow:") == {}


async def test_the_window_passing_unanswered_cancels_with_the_usual_message(db, clock):
    code = await placed_order(db)
    await answer(db, code, "expired")
    clock.advance(seconds=RULES.window_s - 1)
    assert await lapse(db) == 0
    clock.advance(seconds=1)
    assert await lapse(db) == 1
    order, _, kinds = await seen(db, code)
    assert (order.status, order.cancelled_by) == ("CANCELLED", "payment")
    assert kinds == ["payment.retry_offered", "payment.expired"]
    assert await lapse(db) == 0


async def test_a_retry_in_progress_outlives_the_window_and_its_own_expiry_decides(db, clock):
    code = await placed_order(db)
    await answer(db, code, "failed")
    clock.advance(seconds=RULES.window_s - 60)
    await customer_does(db, code, "try_again")
    clock.advance(seconds=120)
    assert await lapse(db) == 0
    assert (await seen(db, code))[0].status == "AWAITING_PAYMENT"
    await answer(db, code, "successful")
    assert (await seen(db, code))[0].status == "PENDING_RESTAURANT"


@pytest.mark.parametrize("what", ["try_again", "pay_cash"])
async def test_an_answer_after_the_window_is_refused_as_lapsed(db, clock, what):
    code = await placed_order(db)
    await answer(db, code, "failed")
    clock.advance(seconds=RULES.window_s)
    with pytest.raises(payment_retry.NoOffer) as refused:
        await customer_does(db, code, what)
    assert refused.value.why == "lapsed" and refused.value.status == 409
    await lapse(db)
    with pytest.raises(payment_retry.NoOffer) as refused:
        await customer_does(db, code, what)
    assert refused.value.why == "lapsed"
    order, payments_, _ = await seen(db, code)
    assert order.status == "CANCELLED" and len(payments_) == 1


async def test_answering_twice_is_refused_the_second_time(db):
    code = await placed_order(db)
    await answer(db, code, "failed")
    await customer_does(db, code, "try_again")
    with pytest.raises(payment_retry.NoOffer) as refused:
        await customer_does(db, code, "pay_cash")
    assert refused.value.why == "waiting"
    assert len((await seen(db, code))[1]) == 2


async def test_no_offer_for_an_order_still_on_its_first_prompt_nor_for_a_paid_one(db):
    code = await placed_order(db)
    with pytest.raises(payment_retry.NoOffer) as refused:
        await customer_does(db, code, "try_again")
    assert refused.value.why == "waiting"
    await answer(db, code, "successful")
    with pytest.raises(payment_retry.NoOffer) as refused:
        await customer_does(db, code, "pay_cash")
    assert refused.value.why == "none"


async def test_another_customer_cannot_answer_the_offer(db):
    code = await placed_order(db)
    await answer(db, code, "failed")
    with pytest.raises(NotFound):
        await customer_does(db, code, "pay_cash", phone=demo.CUSTOMER_EN.phone)
    assert (await seen(db, code))[0].status == "AWAITING_PAYMENT"


async def test_the_offer_goes_to_the_newest_order_that_has_one_open(db, clock):
    offered = await placed_order(db)
    await answer(db, offered, "failed")
    newer = await placed_order(db, method="cash")
    async with db.unit() as unit:
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        assert (await payment_retry.offered_order(unit, customer.id)).code == offered
    clock.advance(seconds=RULES.window_s)
    async with db.unit() as unit:
        assert (await payment_retry.offered_order(unit, customer.id)).code == newer


async def test_a_late_approval_of_the_first_prompt_pays_the_order_and_closes_the_retry(db):
    code = await placed_order(db)
    await answer(db, code, "expired")
    await customer_does(db, code, "try_again")
    await answer(db, code, "successful", which="first")
    order, (first, second), _ = await seen(db, code)
    assert (order.status, first.status, second.status) == ("PENDING_RESTAURANT", "SUCCEEDED", "EXPIRED")
    assert second.next_check_at is None  # never reached a provider: nothing to watch


async def test_a_late_approval_after_choosing_cash_goes_back_and_the_order_stays_cash(db):
    code = await placed_order(db)
    await answer(db, code, "expired")
    await customer_does(db, code, "pay_cash")
    await answer(db, code, "successful", which="first")
    order, (first, cash), kinds = await seen(db, code)
    assert (order.status, order.payment_method, cash.status) == ("PENDING_RESTAURANT", "cash", "PENDING")
    assert first.refund_due_xaf == first.amount_xaf and kinds[-1] == "payment.late"
    async with db.unit() as unit:
        body = await unit.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "payment.late"))
    assert body.startswith(f"Votre paiement de la commande {code} est arrivé après le choix des espèces. Vos ")
    assert sms_segments(gsm7_safe(body)) == ("gsm7", 1)


STEPS = st.lists(
    st.sampled_from(["fail", "expire", "try_again", "pay_cash", "succeed", "succeed_first", "lapse", "reject", "refund"]),
    max_size=8,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(steps=STEPS)
async def test_any_history_of_second_chances_keeps_the_ledger_balanced_and_charges_once(db, clock, steps):
    code = await placed_order(db)
    for step in steps:
        try:
            if step == "fail":
                await answer(db, code, "failed")
            elif step == "expire":
                await answer(db, code, "expired")
            elif step in ("try_again", "pay_cash"):
                await customer_does(db, code, step)
            elif step == "succeed":
                await answer(db, code, "successful")
            elif step == "succeed_first":
                await answer(db, code, "successful", which="first")
            elif step == "lapse":
                clock.advance(seconds=RULES.window_s)
                await lapse(db)
            elif step == "reject":
                async with db.unit() as unit:
                    await order_changes.reject(unit, await order_by_code(unit, code), await demo.restaurant(unit),
                                               actor="test", reason="closed")
            elif step == "refund":
                async with db.unit() as unit:
                    for payment in await unit.session.scalars(select(Payment).where(Payment.refund_due_xaf > 0)):
                        await payments.refunded(unit, payment, payment.refund_due_xaf, via="provider")
        except ChopbarError:
            pass  # refused, and nothing changed
    async with db.unit() as unit:
        assert await ledger.is_balanced(unit)
        order = await order_by_code(unit, code)
        paid = list(await unit.session.scalars(select(Payment).where(Payment.order_id == order.id)))
        captured = await unit.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_xaf), 0)).where(
                LedgerEntry.order_id == order.id, LedgerEntry.kind == "capture", LedgerEntry.amount_xaf > 0
            )
        )
        returned = sum(p.refunded_xaf + p.refund_due_xaf for p in paid)
        kept = captured - returned
        assert await ledger.balance(unit, f"escrow:order:{code}") == -(captured - sum(p.refunded_xaf for p in paid))
        assert kept == (order.total_xaf if order.status == "PENDING_RESTAURANT" and order.payment_method != "cash" else 0)
        assert len(paid) <= 2  # one second chance, never more
