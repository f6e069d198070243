"""What the domain asks of a payment provider (adapters in channels/payments/), and how failures differ."""
from typing import Protocol

from core.models import Payment
from core.payments import ProviderAnswer


class ProviderDown(Exception):
    """The request surely did not reach the provider (refused connection, 5xx before acceptance)."""


class ProviderTimeout(Exception):
    """No answer in time: the request may or may not have reached the provider."""


class ProviderRefused(Exception):
    """A definite no (bad number, not MTN/Orange...): trying again will not help."""


class Provider(Protocol):
    name: str
    refunds: bool  # False: refunds become a wallet credit

    async def request(self, payment: Payment) -> ProviderAnswer: ...
    async def check(self, payment: Payment) -> ProviderAnswer: ...  # status "not_found" if never received
    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer: ...
    async def close(self) -> None: ...
