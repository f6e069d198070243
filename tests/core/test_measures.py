"""The domain's durations, told to whoever watches: seconds between two times (SQLite's naive UTC
or aware), nothing when the start is unknown, nothing once unwatched."""
from datetime import datetime, timedelta, timezone

from prometheus_client import CollectorRegistry

from channels.metrics import Metrics
from core import measures

NOW = datetime(2026, 11, 24, 11, 30, tzinfo=timezone.utc)


def test_seconds_since_an_aware_or_naive_start_and_nothing_without_one():
    heard = []
    unwatch = measures.watch(lambda what, seconds: heard.append((what, seconds)))
    try:
        measures.since(measures.ACCEPTED, NOW - timedelta(seconds=90), NOW)
        measures.since(measures.TAKEN, (NOW - timedelta(minutes=4)).replace(tzinfo=None), NOW)
        measures.since(measures.ACCEPTED, None, NOW)
        measures.since(measures.ACCEPTED, NOW + timedelta(seconds=5), NOW)  # clocks apart: never negative
    finally:
        unwatch()
    measures.since(measures.ACCEPTED, NOW - timedelta(seconds=1), NOW)
    assert heard == [(measures.ACCEPTED, 90.0), (measures.TAKEN, 240.0), (measures.ACCEPTED, 0.0)]


def test_the_metrics_observe_acceptance_and_dispatch_while_they_watch():
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.watch_measures()
    try:
        measures.since(measures.ACCEPTED, NOW - timedelta(seconds=45), NOW)
        measures.since(measures.TAKEN, NOW - timedelta(seconds=700), NOW)
    finally:
        metrics.unwatch_measures()
    measures.since(measures.TAKEN, NOW - timedelta(seconds=10), NOW)
    assert registry.get_sample_value("chopbar_order_acceptance_seconds_count") == 1
    assert registry.get_sample_value("chopbar_order_acceptance_seconds_bucket", {"le": "60.0"}) == 1
    assert registry.get_sample_value("chopbar_delivery_dispatch_seconds_count") == 1
    assert registry.get_sample_value("chopbar_delivery_dispatch_seconds_bucket", {"le": "600.0"}) == 0
