"""What a sender offers the outbox worker, and how a failed send says whether to retry."""
from dataclasses import dataclass
from typing import Protocol

from core.errors import ChopbarError


class SendFailed(ChopbarError):
    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable  # the outbox worker retries only these


@dataclass(frozen=True)
class Sent:
    provider: str
    message_id: str  # the gateway's id: delivery reports name it


class Sender(Protocol):
    provider: str

    async def send(self, to_phone: str, body: str) -> Sent: ...
    async def close(self) -> None: ...
