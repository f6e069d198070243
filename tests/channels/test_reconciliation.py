"""Reconciliation: the ledger's movements at MTN and CamPay on a day, beside the simulators'
statements; a clean day has no difference, and each kind of planted difference is found."""
from datetime import time

from channels.keys import DATABASE
from channels.payments.payouts import PayoutJobs
from chopbar.providers import payout_sender
from core.use_cases import paying_out
from simulators.payment_book import SimPayment
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_payments_over_http import ORANGE_CUSTOMER, order_state, paid_momo_order, settle, ussd_order
from tests.channels.test_payouts import ORANGE_DRIVER, RULES, driver_id, owe, restaurant_id, transfers_to
from tests import demo

SUPPORT = "+237699000090"
DAY = "2026-11-24"  # the tests' clock: lunchtime in Douala


async def busy_day(chopbar, worker, book, settings, clock) -> dict:
    """An MTN order paid, an Orange order paid through CamPay, a restaurant and a driver paid out."""
    mtn_code = await paid_momo_order(chopbar, worker, book)
    orange_code = await ussd_order(chopbar, ORANGE_CUSTOMER, "Orange Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": ORANGE_CUSTOMER})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    db = chopbar.app[DATABASE]
    await owe(db, "restaurant", await restaurant_id(db), 20_000)
    await owe(db, "driver", await driver_id(db, ORANGE_DRIVER), 1_500)
    await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0))
    jobs = PayoutJobs(db, payout_sender(settings), RULES)
    for _ in range(3):
        clock.advance(seconds=10)
        while await jobs.run():
            pass
    await jobs.sender.close()
    return {"mtn": (await order_state(chopbar, mtn_code))[1], "orange": (await order_state(chopbar, orange_code))[1]}


async def report(chopbar) -> dict:
    support = await sign_in(chopbar, SUPPORT)
    answer = await chopbar.get("/api/v1/admin/reconciliation", params={"day": DAY}, headers=bearer(support))
    assert answer.status == 200, await answer.text()
    return {r["provider"]: r for r in (await answer.json())["providers"]}


async def test_a_day_the_providers_agree_with_has_no_difference(chopbar, worker, book, settings, clock):
    paid = await busy_day(chopbar, worker, book, settings, clock)
    by_provider = await report(chopbar)
    assert set(by_provider) == {"mtn", "campay"}
    mtn, campay = by_provider["mtn"], by_provider["campay"]
    assert mtn["differences"] == [] and campay["differences"] == [] and mtn["error"] is None
    assert mtn["ledger_xaf_in"] == mtn["provider_xaf_in"] == paid["mtn"].amount_xaf
    assert mtn["ledger_xaf_out"] == mtn["provider_xaf_out"] == 20_000
    assert campay["ledger_xaf_in"] == paid["orange"].amount_xaf and campay["provider_xaf_out"] == 1_500


async def test_every_difference_planted_in_a_statement_is_found(chopbar, worker, book, settings, clock):
    paid = await busy_day(chopbar, worker, book, settings, clock)
    book.payments[paid["mtn"].reference].amount += 100  # MTN says it took more
    [restaurant_transfer] = transfers_to(book, demo.ALL_DAY_YAOUNDE.phone)
    del book.payments[restaurant_transfer.reference]  # MTN never made our payout
    [driver_transfer] = transfers_to(book, ORANGE_DRIVER)
    driver_transfer.status = "failed"  # CamPay says the driver's payout failed
    stray = SimPayment(reference="5a3c0d2e-0000-4000-8000-000000000001", provider="campay", phone="+237699000001",
                       amount=777, currency="XAF", external_reference="not-ours", kind="collection", status="successful",
                       detail={"code": "CP1", "operator_reference": "CI1"})
    book.add(stray)  # money CamPay took that our ledger never saw
    by_provider = await report(chopbar)
    found = {(d["what"], d["our_reference"]): (d["ledger_xaf"], d["provider_xaf"])
             for r in by_provider.values() for d in r["differences"]}
    assert found == {
        ("amount_differs", paid["mtn"].reference): (paid["mtn"].amount_xaf, paid["mtn"].amount_xaf + 100),
        ("missing_at_provider", restaurant_transfer.external_reference): (20_000, 0),
        ("status_differs", driver_transfer.external_reference): (1_500, 0),
        ("missing_in_ledger", "not-ours"): (0, 777),
    }


async def test_a_day_is_checked_and_a_bad_one_refused(chopbar):
    support = await sign_in(chopbar, SUPPORT)
    for bad in ("2026-13-01", "yesterday", "1999-01-01", "9999-12-31"):
        answer = await chopbar.get("/api/v1/admin/reconciliation", params={"day": bad}, headers=bearer(support))
        assert answer.status == 400, bad
    quiet = await chopbar.get("/api/v1/admin/reconciliation", headers=bearer(support))
    assert quiet.status == 200 and (await quiet.json())["day"] == DAY
