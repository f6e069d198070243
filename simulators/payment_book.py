"""What the simulated payment providers remember: transactions, payers' answers, injected faults."""
import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from simulators.background import Background


@dataclass
class SimPayment:
    reference: str
    provider: str  # mtn, campay, stripe
    phone: str | None  # E.164, with +
    amount: int
    currency: str
    external_reference: str
    kind: str = "collection"  # collection, disbursement, refund
    status: str = "pending"  # pending, successful, failed
    operator: str | None = None
    callback_url: str | None = None
    reason: str | None = None
    created_at: float = field(default_factory=time.time)
    detail: dict = field(default_factory=dict)  # provider-specific fields


@dataclass
class Faults:
    delay_s: float = 0.0  # answer API calls after this long
    timeout: bool = False  # never answer API calls
    fail_status: int | None = None  # answer API calls with this HTTP status
    callbacks: int = 1  # times a final status is called back: 0 never, 2 twice
    callback_delay_s: float = 0.05


Notify = Callable[[SimPayment], Awaitable[None]]


class PaymentBook:
    """Shared by the simulated providers and the /sim/payments console."""

    def __init__(self, mode: str = "manual", auto_delay_s: float = 0.3) -> None:
        self.mode = mode  # approve, decline or manual (CHOPBAR_SIM_MOMO)
        self.auto_delay_s = auto_delay_s
        self.payments: dict[str, SimPayment] = {}
        self.faults: dict[str, Faults] = {}
        self.notifiers: dict[str, Notify] = {}
        self.background = Background()

    def fault(self, provider: str) -> Faults:
        return self.faults.setdefault(provider, Faults())

    def add(self, payment: SimPayment) -> SimPayment:
        self.payments[payment.reference] = payment
        if payment.kind == "collection" and self.mode in ("approve", "decline"):
            self._spawn(self._auto_answer(payment.reference))
        return payment

    def get(self, reference: str) -> SimPayment | None:
        return self.payments.get(reference)

    def for_phone(self, phone: str) -> list[SimPayment]:
        found = [p for p in self.payments.values() if p.phone == phone and p.kind == "collection"]
        return sorted(found, key=lambda p: p.created_at, reverse=True)

    def settle(self, reference: str, successful: bool, reason: str | None = None) -> SimPayment:
        payment = self.payments[reference]
        payment.status = "successful" if successful else "failed"
        payment.reason = None if successful else (reason or "APPROVAL_REJECTED")
        notify = self.notifiers.get(payment.provider)
        if notify is not None and payment.kind in ("collection", "card"):
            self._spawn(self._notify(notify, payment))
        return payment

    async def _auto_answer(self, reference: str) -> None:
        await asyncio.sleep(self.auto_delay_s)
        if self.payments[reference].status == "pending":
            self.settle(reference, self.mode == "approve", reason="APPROVAL_REJECTED")

    async def _notify(self, notify: Notify, payment: SimPayment) -> None:
        faults = self.fault(payment.provider)
        for _ in range(faults.callbacks):
            await asyncio.sleep(faults.callback_delay_s)
            try:
                await notify(payment)
            except Exception:  # the real providers do not retry a failed callback either
                pass

    def _spawn(self, coroutine) -> None:
        self.background.spawn(coroutine)

    async def drain(self) -> None:
        """Waits for every answer, callback and report under way (tests use it)."""
        await self.background.drain()

    async def apply_faults(self, provider: str) -> int | None:
        """Delays or stalls as configured; returns an HTTP status to fail with, if any."""
        faults = self.fault(provider)
        if faults.timeout:
            await asyncio.sleep(60)
        if faults.delay_s:
            await asyncio.sleep(faults.delay_s)
        return faults.fail_status


def new_reference() -> str:
    return str(uuid.uuid4())
