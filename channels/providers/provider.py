"""What a provider package registers with the composition root: its settings, its inbound routes,
and the sender or payment client it builds from its settings."""
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from channels.providers.settings import ProviderSettings
from channels.senders.sender import Sender
from core.payment_provider import Provider as PaymentClient
from core.payout_provider import PayoutClient


@dataclass(frozen=True)
class Reach:
    """Where this service is (for the addresses a provider calls back), how long a call may take,
    and where the bundled simulators answer when a provider has no address of its own."""

    self_url: str
    timeout_s: float

    def url(self, configured: str, simulator: str) -> str:
        return configured or f"{self.self_url}/sim/{simulator}"


@dataclass(frozen=True)
class Provider:
    name: str  # also the attribute of its settings on the service's settings
    settings: type[ProviderSettings]
    setup: Callable[[web.Application], None]  # mounts its webhooks
    sender: Callable[..., Sender] | None = None  # (its settings, Reach) -> outbound messages
    carries: tuple[str, ...] = ()  # the channels its sender carries: "sms", "whatsapp"
    payments: Callable[..., PaymentClient] | None = None  # (its settings, Reach) -> a payment client
    payouts: Callable[..., PayoutClient] | None = None  # (its settings, Reach) -> a client that sends money out
