"""What a sender offers the outbox worker; a failed send raises `core.provider_error.ProviderError`,
whose `retryable` the worker retries and whose `outside_window` it sends by SMS instead."""
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Sent:
    provider: str
    message_id: str  # the gateway's id: delivery reports name it


class Sender(Protocol):
    provider: str

    async def send(self, to_phone: str, body: str) -> Sent: ...
    async def close(self) -> None: ...
