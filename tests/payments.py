"""Scriptable stand-ins for payment providers, for tests of the payment jobs' decisions."""
from collections import deque

from core.provider_error import ProviderError
from core.models import Payment
from core.orders import Destination, LineRequest, Placement
from core.payments import ProviderAnswer
from core.placing import place_order
from tests import demo

ERRORS = {  # as the real clients classify them
    "down": {"retryable": True},
    "timeout": {"retryable": True, "maybe_received": True},
    "refused": {"retryable": False},
}


class FakeProvider:
    """Answers from scripts: each entry an answer status ('pending', 'successful'...) or an error name."""

    refunds = True

    def __init__(self, name: str, *, requests=("pending",), checks=("pending",), refunds=("successful",)) -> None:
        self.name = name
        self.not_found_means_unsent = name != "campay"  # as the real clients say
        self.scripts = {"request": deque(requests), "check": deque(checks), "refund": deque(refunds)}
        self.calls: list[tuple[str, str]] = []

    def script(self, operation: str, *answers: str) -> None:
        self.scripts[operation] = deque(answers)

    def _next(self, operation: str, payment: Payment) -> ProviderAnswer:
        self.calls.append((operation, payment.reference))
        script = self.scripts[operation]
        answer = script.popleft() if len(script) > 1 else script[0]
        if answer in ERRORS:
            raise ProviderError(f"{self.name} {operation}: {answer}", **ERRORS[answer])
        return ProviderAnswer(answer, provider_reference=f"{self.name}-{payment.reference[:8]}", operator="MTN")

    async def request(self, payment: Payment) -> ProviderAnswer:
        return self._next("request", payment)

    async def check(self, payment: Payment) -> ProviderAnswer:
        return self._next("check", payment)

    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer:
        return self._next("refund", payment)

    async def close(self) -> None:
        return None


async def placed_order(db, *, method: str = "mtn", phone: str | None = None, pickup: bool = False):
    """A delivery order (or with `pickup` one to collect) from the demo French customer, with its
    payment opened; returns the code."""
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        customer = await demo.account(unit, phone or demo.CUSTOMER_FR.phone)
        item = await demo.dish(unit, restaurant.id, with_options=False)
        order = await place_order(
            unit,
            Placement(
                customer=customer, restaurant_id=restaurant.id, lines=[LineRequest(item.id, 2)], payment_method=method,
                channel="ussd", language="fr",
                destination=None if pickup else Destination(city="Yaounde", quarter_text="Bastos", lat=3.89237, lon=11.51148),
            ),
            tz="Africa/Douala", payment_window_s=300,
        )
        return order.code
