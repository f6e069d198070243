"""What the domain asks of a payment provider (adapters in channels/providers/); a call that fails
raises `core.provider_error.ProviderError`."""
from typing import Protocol

from core.models import Payment
from core.payments import ProviderAnswer


class Provider(Protocol):
    name: str
    refunds: bool  # False: refunds become a wallet credit
    # True: a status check's "not_found" means the request never reached it, so asking again
    # prompts nobody twice. False: it cannot look a request up until it has told us its own id.
    not_found_means_unsent: bool

    async def request(self, payment: Payment) -> ProviderAnswer: ...
    async def check(self, payment: Payment) -> ProviderAnswer: ...  # status "not_found" if never received
    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer: ...
    async def close(self) -> None: ...
