"""The day's CSV exports for the accounts: orders placed, and every ledger leg, in local time."""
import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.db import Unit
from core.models import LedgerEntry, Order, Payment, Restaurant
from core.reconciliation import window

ORDER_COLUMNS = ("code", "created_at", "status", "restaurant_id", "restaurant", "channel", "fulfilment", "payment_method",
                 "subtotal_xaf", "delivery_fee_xaf", "total_xaf", "city", "quarter")
MOVEMENT_COLUMNS = ("txn", "created_at", "kind", "ledger_account", "amount_xaf", "order_code", "payment_reference",
                    "provider_reference")


def _csv(columns: tuple[str, ...], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


async def orders_csv(unit: Unit, day: date, tz: str) -> str:
    start, end = window(day, tz)
    zone = ZoneInfo(tz)
    rows = await unit.session.execute(
        select(Order, Restaurant.name).join(Restaurant, Restaurant.id == Order.restaurant_id)
        .where(Order.created_at >= start, Order.created_at < end).order_by(Order.created_at, Order.id)
    )
    return _csv(ORDER_COLUMNS, (
        (o.code, o.created_at.astimezone(zone).isoformat(timespec="seconds"), o.status, o.restaurant_id, name, o.channel,
         o.fulfilment, o.payment_method, o.subtotal_xaf, o.delivery_fee_xaf, o.total_xaf, o.city, o.quarter_text)
        for o, name in rows
    ))


async def movements_csv(unit: Unit, day: date, tz: str) -> str:
    start, end = window(day, tz)
    zone = ZoneInfo(tz)
    rows = await unit.session.execute(
        select(LedgerEntry, Order.code, Payment.reference)
        .outerjoin(Order, Order.id == LedgerEntry.order_id).outerjoin(Payment, Payment.id == LedgerEntry.payment_id)
        .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end).order_by(LedgerEntry.id)
    )
    return _csv(MOVEMENT_COLUMNS, (
        (e.txn, e.created_at.astimezone(zone).isoformat(timespec="seconds"), e.kind, e.ledger_account, e.amount_xaf,
         code or "", reference or "", e.reference or "")
        for e, code, reference in rows
    ))
