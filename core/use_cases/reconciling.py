"""The day's reconciliation with every provider, and the day's exports for the accounts."""
from dataclasses import replace
from datetime import date
from typing import Protocol

from core import exports, reconciliation
from core.db import Units
from core.payout_provider import StatementLine
from core.provider_error import ProviderError
from core.reconciliation import Report


class Statements(Protocol):
    """Who reads a provider's statement (the payout clients, in channels)."""

    async def statement(self, start, end) -> list[StatementLine]: ...


async def reconcile(units: Units, sources: dict[str, Statements], day: date, *, tz: str) -> list[Report]:
    """One report per provider: the ledger's movements there on the local day beside its statement."""
    start, end = reconciliation.window(day, tz)
    async with units.unit() as unit:
        ledger = await reconciliation.ledger_side(unit, start, end)
    reports = []
    for provider in sorted(set(sources) | set(ledger)):
        source = sources.get(provider)
        try:
            if source is None:
                raise ProviderError(f"{provider} gives no statement", retryable=False)
            statement = await source.statement(start, end)
        except ProviderError as exc:
            unread = reconciliation.compare(day, provider, ledger.get(provider, {}), [])
            reports.append(replace(unread, differences=(), error=str(exc)))
            continue
        reports.append(reconciliation.compare(day, provider, ledger.get(provider, {}), statement))
    return reports


async def export(units: Units, day: date, *, tz: str) -> tuple[str, str]:
    """(orders CSV, money movements CSV) of the local day."""
    async with units.unit() as unit:
        return await exports.orders_csv(unit, day, tz), await exports.movements_csv(unit, day, tz)
