"""What the domain asks of a provider that sends money out (adapters in channels/providers/), and
the statement lines it reads back for reconciliation; a call that fails raises
`core.provider_error.ProviderError`."""
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.models import Payout


@dataclass(frozen=True)
class TransferAnswer:
    """What a provider says of one transfer: pending, successful, failed, or not_found (never received)."""

    status: str
    provider_reference: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StatementLine:
    """One transaction as a provider's statement shows it, read into our terms."""

    provider: str
    reference: str  # the provider's id of it
    our_reference: str  # the payment's or payout's reference it belongs to, as we sent it
    direction: str  # in (a collection) or out (a refund or payout)
    amount_xaf: int
    status: str  # pending, successful, failed
    at: datetime


class PayoutClient(Protocol):
    name: str

    async def transfer(self, payout: Payout) -> TransferAnswer: ...  # keyed by payout.send_reference
    async def transfer_status(self, payout: Payout) -> TransferAnswer: ...
    async def statement(self, start: datetime, end: datetime) -> list[StatementLine]: ...
