"""Drivers taken on by support, and payouts that equal the ledger."""
import pytest

from core import ledger
from core.drivers import onboard, payouts
from core.errors import BadInput
from core.models import Driver


async def test_support_takes_a_driver_on_with_a_zone_of_real_quarters(db):
    async with db.unit() as unit:
        driver = await onboard(unit, "+237677888001", name="Paul Abena", city="Yaounde", zone=["Bastos", "Etoudi"],
                               language="fr", actor="support:test")
    async with db.unit() as unit:
        stored = await unit.session.get(Driver, driver.account_id)
        assert stored.zone == ["Bastos", "Etoudi"] and stored.account.has_role("driver") and not stored.online


async def test_a_zone_with_an_unknown_quarter_is_refused(db):
    async with db.unit() as unit:
        with pytest.raises(BadInput, match="Atlantis"):
            await onboard(unit, "+237677888002", name="X", city="Yaounde", zone=["Atlantis"], language="fr", actor="t")


async def test_payouts_are_the_ledger_balances(db):
    async with db.unit() as unit:
        driver = await onboard(unit, "+237677888003", name="Ada", city="Douala", zone=["Akwa"], language="en", actor="t")
        ledger.post(unit, "delivery_split", [("escrow:order:000000", 5000), ("restaurant:1", -4000), (f"driver:{driver.account_id}", -700), ("platform", -300)])
        ledger.post(unit, "cash_collected", [(f"cash:driver:{driver.account_id}", 5000), ("escrow:order:000000", -5000)])
    async with db.unit() as unit:
        rows = {(p.kind, p.phone): p.owed_xaf for p in await payouts(unit)}
    assert rows[("driver", "+237677888003")] == 700 - 5000  # holds the cash: owes the difference
    assert any(kind == "restaurant" and owed == 4000 for (kind, _), owed in rows.items())


async def test_support_records_cash_a_driver_remits(db):
    from core.drivers import remit

    async with db.unit() as unit:
        driver = await onboard(unit, "+237677888004", name="Ben", city="Yaounde", zone=["Bastos"], language="fr", actor="t")
        ledger.post(unit, "cash_collected", [(f"cash:driver:{driver.account_id}", 9000), ("escrow:order:000001", -9000)])
    async with db.unit() as unit:
        assert await remit(unit, "+237677888004", 6000, actor="support") == 3000
    async with db.unit() as unit:
        with pytest.raises(BadInput):
            await remit(unit, "+237677888004", 5000, actor="support")
