"""Erasing a driver: refused while they hold delivery cash, done once it is remitted, with the
audit rows that named their number rewritten and the ledger as it was."""
import pytest
from sqlalchemy import func, or_, select

from core import drivers, ledger
from core.models import AuditEvent
from core.use_cases import erasure
from tests import demo

DRIVER = next(p for p in demo.demo_data.PEOPLE if p.role == "driver")


async def test_a_driver_holding_cash_is_refused_then_erased_once_it_is_remitted(db):
    async with db.unit() as unit:
        driver = await drivers.driver_of(unit, DRIVER.phone)
        held = f"cash:driver:{driver.account_id}"
        ledger.post(unit, "cash_collected", [(held, 3000), ("escrow:order:TEST01", -3000)])
    with pytest.raises(erasure.ErasureRefused) as refused:
        await erasure.erase_account(db, driver.account_id, actor="support:1")
    assert refused.value.reason == "driver_cash" and refused.value.status == 409
    async with db.unit() as unit:
        await drivers.remit(unit, DRIVER.phone, 3000, actor="cli")
        balances = await ledger.balances(unit)
    erased = await erasure.erase_account(db, driver.account_id, actor="support:1")
    assert erased.phone == DRIVER.phone and erased.revocations
    async with db.unit() as unit:
        assert await drivers.driver_of(unit, DRIVER.phone) is None
        events = list(await unit.session.scalars(select(AuditEvent)))  # actor, reason and data are sealed: read each
        assert not [e.id for e in events if DRIVER.phone in f"{e.entity_ref} {e.actor} {e.reason} {e.data}"]
        remitted = await unit.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "cash_remitted"))
        assert remitted.entity_ref == str(driver.account_id) and remitted.data["amount_xaf"] == 3000
        assert await unit.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "privacy", AuditEvent.trigger == "erased")) == 1
        assert await ledger.balances(unit) == balances and await ledger.is_balanced(unit)
    with pytest.raises(erasure.NotFound):
        await erasure.erase_account(db, driver.account_id, actor="support:1")  # twice: nothing left to erase

