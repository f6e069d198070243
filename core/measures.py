"""Durations the domain reports as they happen (an order accepted so long after it reached its
restaurant, a delivery job taken so long after it opened), for whoever watches: plain callbacks,
no metrics library. The composition root subscribes the service's metrics (`channels.metrics`).

Reported when the use case runs: a unit rolled back afterwards (rare: a conflict) still counted.
"""
from collections.abc import Callable
from datetime import datetime

Watcher = Callable[[str, float], None]
_watchers: list[Watcher] = []

ACCEPTED = "order_accepted"  # seconds from reaching the restaurant to its acceptance
TAKEN = "delivery_taken"  # seconds from the delivery job opening to a driver taking it


def watch(watcher: Watcher) -> Callable[[], None]:
    """Subscribes `watcher`; returns what unsubscribes it."""
    _watchers.append(watcher)
    return lambda: _watchers.remove(watcher) if watcher in _watchers else None


def since(what: str, start: datetime | None, now: datetime) -> None:
    """Reports the seconds from `start` to `now` (nothing when `start` is unknown)."""
    if start is None or not _watchers:
        return
    if (start.tzinfo is None) != (now.tzinfo is None):  # SQLite hands back naive UTC times
        start, now = start.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = max((now - start).total_seconds(), 0.0)
    for watcher in tuple(_watchers):
        watcher(what, seconds)
