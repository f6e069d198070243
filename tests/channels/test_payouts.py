"""Payouts sent over HTTP to the simulated MTN Disbursements and CamPay withdraw: paid once at the
provider and in the ledger, also when the worker dies mid-way or the provider's answer is lost;
approval above the limit; a failed transfer checked, tried again and paid."""
from datetime import time

import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.payouts import PayoutJobs
from chopbar.providers import payout_sender
from core import ledger
from core.models import Driver, LedgerEntry, OutboxMessage, Payout
from core.payouts import PayoutRules
from core.use_cases import paying_out
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from core.sealing import blind

RESTAURANT = demo.ALL_DAY_YAOUNDE  # its console number is its owner's: an MTN number
MTN_DRIVER, ORANGE_DRIVER = "+237670000011", "+237696000012"
ADMIN = "+237677000099"
RULES = PayoutRules(approval_above_xaf=200_000, minimum_xaf=1_000, max_attempts=3)


@pytest.fixture
async def payouts(chopbar, settings):
    jobs = PayoutJobs(chopbar.app[DATABASE], payout_sender(settings), RULES)
    yield jobs
    await jobs.sender.close()


async def owe(db, kind: str, beneficiary_id: int, amount_xaf: int) -> None:
    """Money a delivery left owed to a restaurant or a driver (what the delivery split posts)."""
    async with db.unit() as unit:
        ledger.post(unit, "delivery_split", [("escrow:order:000000", amount_xaf), (f"{kind}:{beneficiary_id}", -amount_xaf)])


async def restaurant_id(db) -> int:
    async with db.unit() as unit:
        return (await demo.restaurant(unit)).id


async def driver_id(db, phone: str) -> int:
    async with db.unit() as unit:
        return (await demo.account(unit, phone)).id


async def send_all(jobs, clock, *, seconds: float = 0, rounds: int = 1) -> None:
    for _ in range(rounds):
        if seconds:
            clock.advance(seconds=seconds)
        while await jobs.run():
            pass


async def stored(db, kind: str, beneficiary_id: int) -> list[Payout]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(
            select(Payout).where(Payout.kind == kind, Payout.beneficiary_id == beneficiary_id).order_by(Payout.id)))


async def payout_movements(db, account: str) -> list[LedgerEntry]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(
            select(LedgerEntry).where(LedgerEntry.kind == "payout", LedgerEntry.ledger_account == account)))


def transfers_to(book, phone: str) -> list:
    return [p for p in book.payments.values() if p.kind == "disbursement" and p.phone == phone]


async def messages(db, phone: str, kind: str) -> list[str]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.to_phone_key == blind(phone), OutboxMessage.kind == kind)))


async def test_the_daily_payout_pays_the_restaurant_and_the_driver_once(chopbar, payouts, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    rid, did = await restaurant_id(db), await driver_id(db, ORANGE_DRIVER)
    await owe(db, "restaurant", rid, 42_500)
    await owe(db, "driver", did, 3_200)
    started = await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0))
    assert {(p.kind, p.amount_xaf) for p in started} == {("restaurant", 42_500), ("driver", 3_200)}
    assert await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0)) == []  # once a day
    await send_all(payouts, clock, seconds=10, rounds=3)

    [restaurant_payout] = await stored(db, "restaurant", rid)
    [driver_payout] = await stored(db, "driver", did)
    assert (restaurant_payout.status, restaurant_payout.provider) == ("PAID", "mtn")
    assert (driver_payout.status, driver_payout.provider) == ("PAID", "campay")  # an Orange number
    [to_restaurant] = transfers_to(book, RESTAURANT.phone)
    [to_driver] = transfers_to(book, ORANGE_DRIVER)
    assert (to_restaurant.amount, to_restaurant.status, to_restaurant.reference) == (42_500, "successful", restaurant_payout.reference)
    assert (to_driver.amount, to_driver.status) == (3_200, "successful")
    [movement] = await payout_movements(db, f"restaurant:{rid}")
    assert movement.amount_xaf == 42_500 and movement.reference == restaurant_payout.provider_reference
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"restaurant:{rid}") == 0
        assert await ledger.balance(unit, f"driver:{did}") == 0
        assert await ledger.is_balanced(unit)
    assert len(await messages(db, RESTAURANT.phone, "payout.paid")) == 1
    [driver_sms] = await messages(db, ORANGE_DRIVER, "payout.paid")
    assert "3 200 FCFA" in driver_sms or "3,200 FCFA" in driver_sms
    await send_all(payouts, clock, seconds=3600)  # nothing more, ever
    assert len(transfers_to(book, RESTAURANT.phone)) == 1 and len(await payout_movements(db, f"restaurant:{rid}")) == 1


class DiesAfterTheProviderAccepts:
    """A payout client whose worker is killed right after the provider took the transfer."""

    def __init__(self, client) -> None:
        self.client, self.name = client, client.name

    async def transfer(self, payout):
        await self.client.transfer(payout)
        raise RuntimeError("worker killed before it recorded the answer")

    def __getattr__(self, name):
        return getattr(self.client, name)


async def test_a_worker_killed_after_the_provider_accepted_pays_once_when_run_again(chopbar, settings, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    rid = await restaurant_id(db)
    await owe(db, "restaurant", rid, 15_000)
    await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0))
    dying = PayoutJobs(db, payout_sender(settings), RULES)
    dying.sender.clients["mtn"] = DiesAfterTheProviderAccepts(dying.sender.clients["mtn"])
    await dying.run()
    await dying.sender.close()
    [payout] = await stored(db, "restaurant", rid)
    assert payout.status == "SENDING" and len(transfers_to(book, RESTAURANT.phone)) == 1
    assert await payout_movements(db, f"restaurant:{rid}") == []

    again = PayoutJobs(db, payout_sender(settings), RULES)  # the worker started again
    await send_all(again, clock, seconds=61, rounds=2)
    await again.sender.close()
    [payout] = await stored(db, "restaurant", rid)
    assert payout.status == "PAID" and payout.attempts == 1
    assert len(transfers_to(book, RESTAURANT.phone)) == 1
    assert len(await payout_movements(db, f"restaurant:{rid}")) == 1


async def test_a_provider_timeout_after_the_transfer_was_made_pays_once(chopbar, settings, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    did = await driver_id(db, MTN_DRIVER)
    await owe(db, "driver", did, 2_800)
    book.stall_s = 1.0
    book.script_transfers("mtn", ["stall"])
    impatient = PayoutJobs(db, payout_sender(settings.model_copy(update={"provider_timeout": 0.3})), RULES)
    await paying_out.ask(db, "driver", did, RULES, actor="test")
    await impatient.run()  # the transfer is made, its answer never comes
    [payout] = await stored(db, "driver", did)
    assert payout.status == "SENDING" and "no answer" in payout.last_error
    await send_all(impatient, clock, seconds=61, rounds=2)
    await impatient.sender.close()
    [payout] = await stored(db, "driver", did)
    assert payout.status == "PAID"
    assert [t.status for t in transfers_to(book, MTN_DRIVER)] == ["successful"]
    assert len(await payout_movements(db, f"driver:{did}")) == 1


async def test_a_failed_transfer_is_checked_then_sent_again_and_paid_once(chopbar, payouts, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    did = await driver_id(db, MTN_DRIVER)
    await owe(db, "driver", did, 5_000)
    book.script_transfers("mtn", ["failed"])
    await paying_out.ask(db, "driver", did, RULES, actor="test")
    await send_all(payouts, clock, seconds=10, rounds=2)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "FAILED" and payout.last_error == "PAYEE_NOT_FOUND"
    await send_all(payouts, clock, seconds=RULES.backoff_s[0], rounds=3)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "PAID" and payout.attempts == 2 and payout.send_reference != payout.reference
    assert [t.status for t in transfers_to(book, MTN_DRIVER)] == ["failed", "successful"]
    [movement] = await payout_movements(db, f"driver:{did}")
    assert movement.amount_xaf == 5_000


async def test_a_payout_refused_for_want_of_balance_is_sent_once_the_balance_is_there(chopbar, payouts, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    did = await driver_id(db, ORANGE_DRIVER)
    await owe(db, "driver", did, 7_000)
    book.balances["campay"] = 100
    await paying_out.ask(db, "driver", did, RULES, actor="test")
    await send_all(payouts, clock)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "FAILED" and "Insufficient balance" in payout.last_error and transfers_to(book, ORANGE_DRIVER) == []
    book.balances["campay"] = 1_000_000
    await send_all(payouts, clock, seconds=RULES.backoff_s[0], rounds=3)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "PAID" and [t.amount for t in transfers_to(book, ORANGE_DRIVER)] == [7_000]


async def test_a_payout_that_keeps_failing_is_given_up_and_the_money_stays_owed(chopbar, payouts, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    did = await driver_id(db, MTN_DRIVER)
    await owe(db, "driver", did, 4_000)
    book.script_transfers("mtn", ["failed"] * RULES.max_attempts)
    await paying_out.ask(db, "driver", did, RULES, actor="test")
    for wait in (10, *RULES.backoff_s[: RULES.max_attempts]):
        await send_all(payouts, clock, seconds=wait, rounds=2)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "ABANDONED" and payout.open_key is None
    assert len(transfers_to(book, MTN_DRIVER)) == RULES.max_attempts
    assert len(await messages(db, MTN_DRIVER, "payout.failed")) == 1
    async with db.unit() as unit:
        assert await ledger.balance(unit, f"driver:{did}") == -4_000
    again = await paying_out.ask(db, "driver", did, RULES, actor="test")  # a new payout may start
    assert again.outcome == "started"


async def test_a_payout_above_the_limit_waits_for_an_admin_then_is_sent(chopbar, payouts, clock):
    db, book = chopbar.app[DATABASE], chopbar.app[SIM_PAYMENTS]
    rid = await restaurant_id(db)
    await owe(db, "restaurant", rid, 250_000)
    [started] = await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0))
    assert started.status == "AWAITING_APPROVAL"
    await send_all(payouts, clock, seconds=3600)
    assert transfers_to(book, RESTAURANT.phone) == []
    admin = await sign_in(chopbar, ADMIN)
    waiting = await (await chopbar.get("/api/v1/admin/payouts", params={"status": "AWAITING_APPROVAL"}, headers=bearer(admin))).json()
    assert [p["id"] for p in waiting["items"]] == [started.id]
    approved = await chopbar.post(f"/api/v1/admin/payouts/{started.id}/approve", headers=bearer(admin))
    assert approved.status == 200 and (await approved.json())["approved_by"].startswith("admin:")
    again = await chopbar.post(f"/api/v1/admin/payouts/{started.id}/approve", headers=bearer(admin))
    assert again.status == 409
    await send_all(payouts, clock, seconds=10, rounds=2)
    [payout] = await stored(db, "restaurant", rid)
    assert payout.status == "PAID" and [t.amount for t in transfers_to(book, RESTAURANT.phone)] == [250_000]


async def test_a_second_request_while_one_is_open_starts_nothing(chopbar, clock):
    db = chopbar.app[DATABASE]
    did = await driver_id(db, MTN_DRIVER)
    await owe(db, "driver", did, 3_000)
    first = await paying_out.ask(db, "driver", did, RULES, actor="test")
    second = await paying_out.ask(db, "driver", did, RULES, actor="test")
    assert (first.outcome, second.outcome) == ("started", "already_open") and second.payout.id == first.payout.id
    async with db.unit() as unit:
        assert await unit.session.scalar(select(func.count()).select_from(Payout)) == 1


async def test_a_driver_holding_cash_is_paid_only_what_is_left(chopbar):
    db = chopbar.app[DATABASE]
    did = await driver_id(db, MTN_DRIVER)
    await owe(db, "driver", did, 3_000)
    async with db.unit() as unit:
        assert await unit.session.get(Driver, did) is not None
        ledger.post(unit, "cash_collected", [(f"cash:driver:{did}", 2_500), ("escrow:order:000001", -2_500)])
    asked = await paying_out.ask(db, "driver", did, RULES, actor="test")
    assert asked.outcome == "too_little" and asked.owed_xaf == 500


async def test_the_daily_run_skips_whom_it_cannot_pay_and_pays_the_others(chopbar):
    from core.drivers import onboard
    from core.models import AuditEvent

    db = chopbar.app[DATABASE]
    async with db.unit() as unit:
        nexttel = await onboard(unit, "+237661234567", name="Paul", city="Yaounde", zone=["Bastos"], language="fr", actor="t")
    await owe(db, "driver", nexttel.account_id, 3_000)
    await owe(db, "driver", await driver_id(db, MTN_DRIVER), 3_000)
    started = await paying_out.daily(db, RULES, tz="Africa/Douala", at=time(7, 0))
    assert [p.phone for p in started] == [MTN_DRIVER]
    async with db.unit() as unit:
        skip = await unit.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "skip"))
        assert skip.entity_ref == f"driver:{nexttel.account_id}" and "not an MTN or Orange number" in skip.reason


async def test_a_transfer_left_pending_at_the_provider_is_paid_once_it_settles(chopbar, payouts, clock):
    db = chopbar.app[DATABASE]
    did = await driver_id(db, ORANGE_DRIVER)
    await owe(db, "driver", did, 2_500)
    scripted = await chopbar.post("/sim/providers/campay/transfers", json={"outcomes": ["pending"]})
    assert scripted.status == 200
    assert (await chopbar.post("/sim/providers/campay/transfers", json={"outcomes": ["late"]})).status == 400
    await chopbar.post("/sim/providers/campay/transfers", json={"outcomes": ["pending"]})
    await paying_out.ask(db, "driver", did, RULES, actor="test")
    await send_all(payouts, clock, seconds=10, rounds=3)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "SENDING" and payout.attempts == 1
    listed = await (await chopbar.get("/sim/providers/campay/transfers")).json()
    [transfer] = [t for t in listed["transfers"] if t["phone"] == ORANGE_DRIVER]
    assert (transfer["status"], transfer["external_reference"]) == ("pending", payout.send_reference)
    assert (await chopbar.post(f"/sim/transfers/{transfer['reference']}/succeed")).status == 200
    assert (await chopbar.post(f"/sim/transfers/{transfer['reference']}/succeed")).status == 409
    await send_all(payouts, clock, seconds=30, rounds=2)
    [payout] = await stored(db, "driver", did)
    assert payout.status == "PAID" and payout.provider_reference == transfer["reference"]
    after = await (await chopbar.get("/sim/providers/campay/transfers")).json()
    assert after["balance"] == listed["balance"] - 2_500
