"""What the simulated payment providers remember: transactions, payers' answers, injected faults."""
import asyncio
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from simulators.background import Background

MODES = ("approve", "decline", "manual")
# What a simulated transfer (a refund or payout) does, taken in turn from a provider's script:
# pay at once, fail, stay pending until settled through /sim/, or be made and then leave the
# caller without an answer (the provider accepted; the caller's timeout fires).
OUTCOMES = ("successful", "failed", "pending", "stall")
OPENING_BALANCE = 10_000_000  # XAF in our account at each provider when the simulator starts
STALL_S = 60.0  # how long a `timeout` fault holds a call before giving up on it


@dataclass
class SimPayment:
    reference: str
    provider: str  # mtn, campay, stripe
    phone: str | None  # E.164, with +; None for a card
    amount: int
    currency: str
    external_reference: str
    kind: str = "collection"  # collection, disbursement, refund
    status: str = "pending"  # pending, successful, failed
    operator: str | None = None  # MTN, ORANGE
    callback_url: str | None = None
    reason: str | None = None
    created_at: float = field(default_factory=time.time)
    at: datetime | None = None  # when the provider made it, by the book's clock (its statements' time)
    prompted: bool = True  # the payer has something to answer; a Stripe intent only once confirmed
    detail: dict = field(default_factory=dict)  # provider-specific fields


@dataclass
class Faults:
    delay_s: float = 0.0  # answer API calls after this long
    timeout: bool = False  # never answer API calls (held up to STALL_S, then dropped unprocessed)
    fail_status: int | None = None  # answer API calls with this HTTP status
    callbacks: int = 1  # times a final status is called back: 0 never, 2 twice
    callback_delay_s: float = 0.05


Notify = Callable[[SimPayment], Awaitable[None]]


class PaymentBook:
    """Shared by the simulated providers and the /sim/payments console."""

    def __init__(self, mode: str = "manual", auto_delay_s: float = 0.3,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}, not {mode!r}")
        self.mode = mode  # CHOPBAR_SIM_MOMO: approve and decline answer prompts by themselves
        self.auto_delay_s = auto_delay_s
        self.clock = clock
        self.payments: dict[str, SimPayment] = {}
        self.balances: dict[str, int] = {"mtn": OPENING_BALANCE, "campay": OPENING_BALANCE}
        self.transfer_scripts: dict[str, deque[str]] = {}
        self.stall_s = STALL_S
        self.faults: dict[str, Faults] = {}
        self.notifiers: dict[str, Notify] = {}  # provider -> how it calls the service back
        self.background = Background()

    def fault(self, provider: str) -> Faults:
        """The faults in force for a provider; a test may change their fields in place."""
        return self.faults.setdefault(provider, Faults())

    def add(self, payment: SimPayment) -> SimPayment:
        payment.at = payment.at or self.clock()
        self.payments[payment.reference] = payment
        if payment.kind == "collection" and payment.prompted:
            self.prompted(payment)
        return payment

    def prompted(self, payment: SimPayment) -> None:
        """The payer now has a prompt; the auto modes answer it after auto_delay_s."""
        payment.prompted = True
        if self.mode in ("approve", "decline"):
            self.background.spawn(self._auto_answer(payment.reference))

    def get(self, reference: str) -> SimPayment | None:
        return self.payments.get(reference)

    def for_phone(self, phone: str) -> list[SimPayment]:
        """Collections asked of this number, newest first (ties: the later added first)."""
        found = [p for p in reversed(self.payments.values()) if p.phone == phone and p.kind == "collection"]
        return sorted(found, key=lambda p: p.created_at, reverse=True)

    def script_transfers(self, provider: str, outcomes: list[str]) -> None:
        """The next transfers' outcomes, in turn; once used up, transfers succeed."""
        unknown = [o for o in outcomes if o not in OUTCOMES]
        if unknown:
            raise ValueError(f"outcomes are {', '.join(OUTCOMES)}, not {', '.join(map(str, unknown))}")
        self.transfer_scripts[provider] = deque(outcomes)

    def next_outcome(self, provider: str) -> str:
        script = self.transfer_scripts.get(provider)
        return script.popleft() if script else "successful"

    def can_pay(self, provider: str, amount: int) -> bool:
        return self.balances.get(provider, 0) >= amount

    def transfer(self, payment: SimPayment, outcome: str) -> SimPayment:
        """Money out of our account there: a transfer made, then settled as its outcome says."""
        self.add(payment)
        if outcome in ("successful", "stall"):
            self.settle(payment.reference, True)
        elif outcome == "failed":
            self.settle(payment.reference, False, "PAYEE_NOT_FOUND")
        return payment

    def in_window(self, provider: str, start: datetime, end: datetime) -> list[SimPayment]:
        """The provider's transactions made in [start, end), oldest first: its statement."""
        return sorted((p for p in self.payments.values() if p.provider == provider and start <= p.at < end),
                      key=lambda p: p.at)

    def settle(self, reference: str, successful: bool, reason: str | None = None) -> SimPayment:
        """Gives a pending payment its final status; its provider then calls back."""
        payment = self.payments[reference]
        if payment.status != "pending":
            raise ValueError(f"{reference} is already {payment.status}")
        payment.status = "successful" if successful else "failed"
        payment.reason = None if successful else reason
        if successful and payment.provider in self.balances:
            self.balances[payment.provider] += payment.amount if payment.kind == "collection" else -payment.amount
        notify = self.notifiers.get(payment.provider)
        if notify is not None:
            self.background.spawn(self._notify(notify, payment))
        return payment

    async def _auto_answer(self, reference: str) -> None:
        await asyncio.sleep(self.auto_delay_s)
        payment = self.payments.get(reference)
        if payment is not None and payment.status == "pending" and self.mode in ("approve", "decline"):
            self.settle(reference, self.mode == "approve")

    async def _notify(self, notify: Notify, payment: SimPayment) -> None:
        faults = self.fault(payment.provider)
        for _ in range(faults.callbacks):
            await asyncio.sleep(faults.callback_delay_s)
            try:
                await notify(payment)
            except Exception:  # noqa: BLE001 - the real providers do not retry a failed callback either
                pass

    async def drain(self) -> None:
        """Waits for every automatic answer and callback under way (tests use it)."""
        await self.background.drain()

    async def apply_faults(self, provider: str) -> int | None:
        """Delays or stalls an API call as configured; returns an HTTP status to answer with, if any.

        A stalled call is dropped unprocessed (504) once the `timeout` fault is lifted or after
        STALL_S: the caller gave up long before, and never learns whether it arrived.
        """
        if self.fault(provider).timeout:
            waited = 0.0
            while self.fault(provider).timeout and waited < STALL_S:
                await asyncio.sleep(0.05)
                waited += 0.05
            return 504
        if delay := self.fault(provider).delay_s:
            await asyncio.sleep(delay)
        return self.fault(provider).fail_status


def new_reference() -> str:
    return str(uuid.uuid4())
