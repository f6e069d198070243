"""Per-number limits on the phone channels, counted in the API's rate counters (Redis, or this
process): USSD hops per minute, and texts per 10 minutes, SMS and WhatsApp chats together.

Where they sit: a USSD hop is counted first, before anything is read (a hop has no gateway id
to deduplicate on, and a flooding dialler must cost nothing but the count). A text is counted
just after its gateway id is recorded: a gateway's retry of a message already seen is the
gateway's doing and costs the sender nothing, and a message over the limit is still recorded,
so its own retries are not counted again. Over the limit a text gets no answer, except the
first one over it in a window, which gets one short reply saying to wait; no account is
opened for it.
"""
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from channels.api.limits import Verdict

HOPS_WINDOW_S = 60
TEXTS_WINDOW_S = 10 * 60
STAFF_FACTOR = 5  # restaurants and drivers answer orders by SMS: a busy lunch must not silence them


@dataclass(frozen=True)
class TextVerdict:
    allowed: bool
    warn: bool  # the first text over the limit in this window: the one told to wait
    retry_after_s: int


async def _nobody_on_staff() -> bool:
    return False


@dataclass(frozen=True)
class NumberLimits:
    counter: Any  # a channels.api.limits counter (FallbackCounter with Redis)
    hops_per_min: int
    texts_per_10_min: int

    async def hop(self, phone: str) -> Verdict:
        return await self.counter.hit(f"ussd:{phone}", self.hops_per_min, HOPS_WINDOW_S)

    async def text(self, phone: str, is_staff: Callable[[], Awaitable[bool]] = _nobody_on_staff) -> TextVerdict:
        """Counts one text; `is_staff` is asked only past the customers' limit, and not at all
        past the staff's: a flood's texts cost one count each, nothing read."""
        hit = await self.counter.hit(f"texts:{phone}", self.texts_per_10_min, TEXTS_WINDOW_S)
        if hit.allowed:
            return TextVerdict(True, False, hit.retry_after_s)
        most = self.texts_per_10_min * STAFF_FACTOR
        if hit.count > most + 1:
            return TextVerdict(False, False, hit.retry_after_s)
        limit = most if await is_staff() else self.texts_per_10_min
        return TextVerdict(hit.count <= limit, hit.count == limit + 1, hit.retry_after_s)
