"""Reconciliation: the ledger's movements at each provider on a day, beside the provider's own
statement, and every difference between them.

A movement is matched by the reference we sent (a payment's for its capture and refunds, a
payout's send reference for its transfer) and its direction; amounts of one key are summed on
both sides (a payment refunded in two parts). Only successful lines at the provider moved
money; a failed or pending one with nothing in the ledger is no difference.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.db import Unit
from core.models import LedgerEntry, Payment, Payout
from core.payout_provider import StatementLine

NOT_PROVIDERS = ("provider:cash",)  # cash handed in is not at any provider


@dataclass(frozen=True)
class Difference:
    provider: str
    our_reference: str
    direction: str  # in or out
    what: str  # missing_at_provider, missing_in_ledger, amount_differs, status_differs
    ledger_xaf: int
    provider_xaf: int
    provider_status: str | None  # what the statement says, when it has the line


@dataclass(frozen=True)
class Report:
    day: date
    provider: str
    ledger_xaf_in: int
    ledger_xaf_out: int
    provider_xaf_in: int
    provider_xaf_out: int
    lines: int  # on the provider's statement
    differences: tuple[Difference, ...]
    error: str | None = None  # the statement could not be read


def window(day: date, tz: str) -> tuple[datetime, datetime]:
    """The local day as [start, end) aware times."""
    start = datetime.combine(day, time(), ZoneInfo(tz))
    return start, start + timedelta(days=1)


async def ledger_side(unit: Unit, start: datetime, end: datetime) -> dict[str, dict[tuple[str, str], int]]:
    """provider -> (our reference, direction) -> XAF moved at that provider, from the ledger."""
    rows = await unit.session.execute(
        select(LedgerEntry.ledger_account, LedgerEntry.amount_xaf, Payment.reference, Payout.send_reference)
        .outerjoin(Payment, Payment.id == LedgerEntry.payment_id)
        .outerjoin(Payout, Payout.ledger_txn == LedgerEntry.txn)
        .where(LedgerEntry.ledger_account.startswith("provider:"), LedgerEntry.ledger_account.not_in(NOT_PROVIDERS),
               LedgerEntry.created_at >= start, LedgerEntry.created_at < end)
    )
    found: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for account, amount, payment_ref, payout_ref in rows:
        provider = account.removeprefix("provider:")
        direction = "in" if amount > 0 else "out"
        found[provider][(payment_ref or payout_ref or "?", direction)] += abs(amount)
    return found


def compare(day: date, provider: str, ledger: dict[tuple[str, str], int], statement: list[StatementLine]) -> Report:
    moved: dict[tuple[str, str], int] = defaultdict(int)
    statuses: dict[tuple[str, str], str] = {}
    for line in statement:
        key = (line.our_reference, line.direction)
        if line.status == "successful":
            moved[key] += line.amount_xaf
        statuses[key] = "successful" if key in moved else line.status
    differences = []
    for key in sorted(set(ledger) | set(statuses)):
        ours, theirs, status = ledger.get(key, 0), moved.get(key, 0), statuses.get(key)
        if ours == theirs:
            continue
        if status is None:
            what = "missing_at_provider"
        elif not ours:
            if status != "successful":
                continue  # a transfer that failed or waits, and nothing recorded: as it should be
            what = "missing_in_ledger"
        elif status != "successful":
            what = "status_differs"
        else:
            what = "amount_differs"
        differences.append(Difference(provider, key[0], key[1], what, ours, theirs, status))
    return Report(
        day=day, provider=provider,
        ledger_xaf_in=sum(v for (_, d), v in ledger.items() if d == "in"),
        ledger_xaf_out=sum(v for (_, d), v in ledger.items() if d == "out"),
        provider_xaf_in=sum(v for (_, d), v in moved.items() if d == "in"),
        provider_xaf_out=sum(v for (_, d), v in moved.items() if d == "out"),
        lines=len(statement), differences=tuple(differences),
    )
