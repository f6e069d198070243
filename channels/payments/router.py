"""Choosing a provider for a payment: the preferred one first, retries with backoff, fallover.

Which providers serve which payment method, in order of preference, is the router's `routes`,
given by the composition root: the domain names no provider.

A provider that is down (refused connection, 5xx) is retried, then the next provider that
serves the method is tried. A timeout is different: the request may have reached the
provider and prompted the payer, so it is not sent elsewhere; the payment waits, UNKNOWN,
until a status check says what happened. A circuit breaker stops calling a provider that
keeps failing, for a while.
"""
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from channels.payments.breaker import Breaker
from core.payment_provider import Provider
from core.provider_error import ProviderError
from core.models import Payment
from core.payments import ProviderAnswer


@dataclass(frozen=True)
class Outcome:
    provider: str | None
    answer: ProviderAnswer | None  # None: nobody answered for sure
    error: str | None = None
    maybe_received: bool = False  # a timeout: ask for the status before anything else


class PaymentRouter:
    def __init__(
        self,
        providers: dict[str, Provider],
        *,
        routes: dict[str, tuple[str, ...]],
        attempts: int = 2,
        backoff_s: float = 0.2,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.providers = providers
        self.method_routes = routes
        self.breakers = {name: Breaker() for name in providers}
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.sleep = sleep

    def routes(self, payment: Payment) -> list[str]:
        names = [n for n in self.method_routes.get(payment.method, ()) if n in self.providers]
        if payment.provider in names:  # the one chosen (or last used) first
            names.remove(payment.provider)
            names.insert(0, payment.provider)
        return names

    def provider_for(self, payment: Payment) -> str | None:
        """Who has (or is first to get) the payment: the provider last asked, else its method's first."""
        return payment.provider or next(iter(self.routes(payment)), None)

    async def request(self, payment: Payment) -> Outcome:
        errors: list[str] = []
        for name in self.routes(payment):
            breaker = self.breakers[name]
            if not breaker.allows():
                errors.append(f"{name}: circuit open")
                continue
            for attempt in range(self.attempts):
                try:
                    answer = await self.providers[name].request(payment)
                except ProviderError as exc:
                    if exc.maybe_received:
                        breaker.failed()
                        return Outcome(name, None, error=f"{name}: {exc}", maybe_received=True)
                    errors.append(f"{name}: {exc}")
                    if not exc.retryable:
                        breaker.succeeded()  # it answered: it is up
                        break  # a number moved to another operator: the next route may take it
                    breaker.failed()
                    if attempt + 1 < self.attempts and breaker.allows():
                        await self.sleep(self.backoff_s * 2**attempt)
                        continue
                    break  # fall over to the next provider
                else:
                    breaker.succeeded()
                    return Outcome(name, answer)
        refused = errors and all("HTTP 4" in e for e in errors)
        if refused:
            return Outcome(None, ProviderAnswer("failed", reason="; ".join(errors)[:240]))
        return Outcome(None, None, error="; ".join(errors)[:240] or "no provider for this method")

    async def close(self) -> None:
        for provider in self.providers.values():
            await provider.close()

    async def call(self, name: str, operation: str, *args) -> ProviderAnswer:
        """A status check or refund with one provider, guarded by its breaker."""
        breaker = self.breakers[name]
        if not breaker.allows():
            raise ProviderError(f"{name}: circuit open", retryable=True)
        try:
            answer = await getattr(self.providers[name], operation)(*args)
        except ProviderError as exc:
            if exc.retryable:
                breaker.failed()
            raise
        breaker.succeeded()
        return answer
