"""The day's CSV exports: every order placed that local day, every ledger leg of it."""
import csv
import io
from datetime import date

from core import ledger
from core.orders import order_by_code
from core.use_cases import reconciling
from tests.payments import placed_order

DAY = date(2026, 11, 24)  # the tests' clock: lunchtime in Douala


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_export_has_the_days_orders_and_money_movements(db, clock):
    code = await placed_order(db)
    async with db.unit() as unit:
        order = await order_by_code(unit, code)
        ledger.post(unit, "capture", [("provider:mtn", order.total_xaf), (ledger.escrow(order), -order.total_xaf)], order_id=order.id)
        ledger.post(unit, "payout", [("restaurant:1", 4_000), ("provider:mtn", -4_000)], reference="MTN-TX-1")
        total = order.total_xaf
    clock.advance(days=1)
    await placed_order(db)  # the next day: not in this day's export
    orders, movements = await reconciling.export(db, DAY, tz="Africa/Douala")
    [row] = rows(orders)
    assert (row["code"], row["status"], row["payment_method"], int(row["total_xaf"])) == (code, "AWAITING_PAYMENT", "mtn", total)
    assert row["created_at"] == "2026-11-24T12:30:00+01:00" and row["restaurant"] and row["city"] == "Yaounde"
    legs = rows(movements)
    assert [(leg["kind"], leg["ledger_account"], int(leg["amount_xaf"])) for leg in legs] == [
        ("capture", "provider:mtn", total), ("capture", f"escrow:order:{code}", -total),
        ("payout", "restaurant:1", 4_000), ("payout", "provider:mtn", -4_000),
    ]
    assert legs[0]["order_code"] == code and legs[2]["provider_reference"] == "MTN-TX-1"
    assert sum(int(leg["amount_xaf"]) for leg in legs) == 0


async def test_a_day_without_business_exports_the_headers_alone(db):
    orders, movements = await reconciling.export(db, date(2026, 1, 1), tz="Africa/Douala")
    assert orders.splitlines() == ["code,created_at,status,restaurant_id,restaurant,channel,fulfilment,payment_method,"
                                   "subtotal_xaf,delivery_fee_xaf,total_xaf,city,quarter"]
    assert movements.splitlines()[1:] == []
