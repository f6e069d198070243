"""Per-number limits on the phone channels: USSD hops per minute, counted in the session store
beside the session, and texts per 10 minutes, SMS and WhatsApp chats together, counted in the
API's rate counters (Redis, or this process).

Where they sit: a USSD hop's count is read with its session, in the same round trip, and a
hop over the limit is refused before anything else is read (a flooding dialler costs that one
read); a hop answered adds one to the count with its session's write (the dialog engine, through
the session store: no round trip of its own on the hot path). A text is counted
just after its gateway id is recorded: a gateway's retry of a message already seen is the
gateway's doing and costs the sender nothing, and a message over the limit is still recorded,
so its own retries are not counted again. Over the limit a text gets no answer, except the
first one over it in a window, which gets one short reply saying to wait; no account is
opened for it.
"""
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

HOPS_WINDOW_S = 60
TEXTS_WINDOW_S = 10 * 60
STAFF_FACTOR = 5  # restaurants and drivers answer orders by SMS: a busy lunch must not silence them


@dataclass(frozen=True)
class TextVerdict:
    allowed: bool
    warn: bool  # the first text over the limit in this window: the one told to wait
    retry_after_s: int


def hops_key(phone: str) -> str:
    """The session store's counter of a number's USSD hops in the current window."""
    return f"hops:{phone}"


async def _nobody_on_staff() -> bool:
    return False


@dataclass(frozen=True)
class NumberLimits:
    counter: Any  # a channels.api.limits counter (FallbackCounter with Redis)
    hops_per_min: int
    texts_per_10_min: int

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
