"""A circuit breaker per provider: after repeated failures, stop calling it for a while."""
import time
from dataclasses import dataclass, field


@dataclass
class Breaker:
    threshold: int = 5  # failures in a row that open it
    cool_down_s: float = 30.0
    clock: object = field(default=time.monotonic)
    failures: int = 0
    opened_at: float | None = None

    def allows(self) -> bool:
        """Closed, or open long enough that one trial call may go through (half-open)."""
        if self.opened_at is None:
            return True
        return self.clock() - self.opened_at >= self.cool_down_s

    def succeeded(self) -> None:
        self.failures, self.opened_at = 0, None

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = self.clock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.allows() else "open"
