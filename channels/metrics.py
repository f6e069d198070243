"""The service's business and machine metrics, on one Prometheus registry per process.

HTTP requests are `channels.middleware`'s; this module counts the rest, each where it happens
once: orders placed and every order or delivery transition (from the audit events a unit
commits: `committed`, a database listener), acceptance and dispatch times (`core.measures`),
payment requests per provider with their latency and outcome, and message sends per provider
and result (the provider clients and senders wrapped: `measured_payments`, `measured_senders`),
the payment breakers' state and what is waiting (outbox, drivers, restaurants) read at scrape
time (`Backlogs`, cached a few seconds), USSD hops by screen and the screens sessions were
abandoned on, and the worker's loops (`timed`), with its heartbeat.
"""
import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core import backlog, measures
from core.db import Database
from core.provider_error import ProviderError

log = logging.getLogger(__name__)

SCRAPE_READ_TIMEOUT_S = 2.0  # a scrape waits no longer for the backlog's counts; the last ones stay
BACKLOG_CACHE_S = 10.0  # several scrapers (or a reload of the dashboard) within this read the database once
HEARTBEAT_STALE_S = 120.0  # a worker whose loops have not come round for this long is not healthy
SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
MINUTES = (15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600)

METRICS: web.AppKey["Metrics"] = web.AppKey("business_metrics")
BEFORE_SCRAPE: web.AppKey[list] = web.AppKey("before_scrape", list)  # async callables run before each scrape


class Metrics:
    """Every metric of this module, registered on `registry`."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.orders_placed = Counter(
            "chopbar_orders_placed", "Orders placed, by channel and the state they were placed in",
            ["channel", "state"], registry=registry)
        self.order_transitions = Counter(
            "chopbar_order_transitions", "Order state changes committed, by trigger and states",
            ["trigger", "from_state", "to_state"], registry=registry)
        self.delivery_transitions = Counter(
            "chopbar_delivery_transitions", "Delivery job state changes committed, by trigger and states",
            ["trigger", "from_state", "to_state"], registry=registry)
        self.acceptance = Histogram(
            "chopbar_order_acceptance_seconds", "From an order reaching its restaurant to its acceptance",
            buckets=MINUTES, registry=registry)
        self.dispatch = Histogram(
            "chopbar_delivery_dispatch_seconds", "From a delivery job opening to a driver taking it",
            buckets=MINUTES, registry=registry)
        self.payment_requests = Counter(
            "chopbar_payment_requests", "Payment requests to a provider, by outcome "
            "(pending, successful, failed: its answer; error: it failed; timeout: no answer)",
            ["provider", "outcome"], registry=registry)
        self.payment_seconds = Histogram(
            "chopbar_payment_request_seconds", "Time a provider took to answer a payment request",
            ["provider"], buckets=SECONDS, registry=registry)
        self.messages = Counter(
            "chopbar_messages_sent", "Messages handed to a gateway, by provider and result (sent, error, refused)",
            ["provider", "result"], registry=registry)
        self.message_seconds = Histogram(
            "chopbar_message_send_seconds", "Time a gateway took to take a message",
            ["provider"], buckets=SECONDS, registry=registry)
        self.ussd_hops = Histogram(
            "chopbar_ussd_hop_seconds", "Time to answer a USSD hop, by the screen it landed on",
            ["screen"], buckets=SECONDS, registry=registry)
        self.ussd_ended = Counter(
            "chopbar_ussd_sessions_ended", "USSD sessions the gateway said ended, by their last screen",
            ["screen"], registry=registry)
        self.ussd_abandoned = Counter(
            "chopbar_ussd_sessions_abandoned", "USSD sessions that ended on a screen that was not an end of ours",
            ["screen"], registry=registry)
        self.job_seconds = Histogram(
            "chopbar_worker_loop_seconds", "Duration of one pass of a worker loop", ["loop"],
            buckets=SECONDS, registry=registry)
        self.job_failures = Counter(
            "chopbar_worker_loop_failures", "Worker loop passes that failed", ["loop"], registry=registry)
        self.last_beat: float | None = None  # unix time a worker loop last came round
        registry.register(_Heartbeat(self))  # no sample until then: web processes export none
        self.breakers = BreakerCollector()
        registry.register(self.breakers)
        self._taken: dict[tuple, Any] = {}
        self._unwatch: Callable[[], None] | None = None

    def _labelled(self, metric, *labels):
        """The labelled child, looked up once each: `labels()` costs more than the count itself."""
        key = (id(metric), *labels)
        child = self._taken.get(key)
        if child is None:
            child = self._taken[key] = metric.labels(*labels)
        return child

    # The database's listener: audit events of a committed unit.
    def committed(self, events: list) -> None:
        """Counts what a unit committed; never fails the caller, whose change is stored already."""
        try:
            for event in events:
                if event.entity == "order" and event.trigger == "place":
                    channel = (event.data or {}).get("channel") or "unknown"
                    self._labelled(self.orders_placed, channel, event.to_state or "").inc()
                elif event.from_state is None:  # a note on the record (a refund asked, a wrong code), no change of state
                    continue
                elif event.entity == "order":
                    self._labelled(self.order_transitions, event.trigger, event.from_state, event.to_state or "").inc()
                elif event.entity == "delivery":
                    self._labelled(self.delivery_transitions, event.trigger, event.from_state, event.to_state or "").inc()
        except Exception:
            log.exception("committed changes not counted")

    def watch_measures(self) -> None:
        """Subscribes to the domain's durations (`core.measures`) until `unwatch_measures`."""
        if self._unwatch is None:
            self._unwatch = measures.watch(self._measured)

    def unwatch_measures(self) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    def _measured(self, what: str, seconds: float) -> None:
        if what == measures.ACCEPTED:
            self.acceptance.observe(seconds)
        elif what == measures.TAKEN:
            self.dispatch.observe(seconds)

    def ussd_hop(self, screen: str, seconds: float) -> None:
        self._labelled(self.ussd_hops, screen).observe(seconds)

    def ussd_session_ended(self, last: str, finished: bool) -> None:
        self._labelled(self.ussd_ended, last).inc()
        if not finished:
            self._labelled(self.ussd_abandoned, last).inc()

    def timed(self, name: str, run: Callable[[], Awaitable[int]]) -> Callable[[], Awaitable[int]]:
        """A worker loop's pass, timed, its failures counted, the heartbeat set when it ends."""
        timer, failures = self._labelled(self.job_seconds, name), self._labelled(self.job_failures, name)

        async def timed_run() -> int:
            started = time.perf_counter()
            try:
                return await run()
            except Exception:
                failures.inc()
                raise
            finally:
                timer.observe(time.perf_counter() - started)
                self.last_beat = time.time()

        return timed_run


class _Heartbeat(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable:
        beat = GaugeMetricFamily("chopbar_worker_heartbeat_seconds", "Unix time a worker loop last came round")
        if self.metrics.last_beat is not None:
            beat.add_metric([], self.metrics.last_beat)
        yield beat


def for_app(app: web.Application) -> "Metrics | None":
    return app.get(METRICS)


class MeasuredPayments:
    """A payment provider's client, its requests counted by outcome and timed."""

    def __init__(self, name: str, client: Any, metrics: Metrics) -> None:
        self._name, self._client, self._metrics = name, client, metrics

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._client, attribute)

    async def request(self, payment):
        started = time.perf_counter()
        outcome = "error"
        try:
            answer = await self._client.request(payment)
            outcome = answer.status
            return answer
        except ProviderError as exc:
            outcome = "timeout" if exc.maybe_received else "error"
            raise
        finally:
            metrics = self._metrics
            metrics._labelled(metrics.payment_seconds, self._name).observe(time.perf_counter() - started)
            metrics._labelled(metrics.payment_requests, self._name, outcome).inc()


class MeasuredSender:
    """A message sender, its sends counted by result and timed, under its provider's name."""

    def __init__(self, name: str, sender: Any, metrics: Metrics) -> None:
        self._name, self._sender, self._metrics = name, sender, metrics

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._sender, attribute)

    async def send(self, to_phone: str, body: str):
        started = time.perf_counter()
        result = "error"
        try:
            sent = await self._sender.send(to_phone, body)
            result = "sent"
            return sent
        except ProviderError as exc:
            result = "error" if exc.retryable else "refused"
            raise
        finally:
            metrics = self._metrics
            metrics._labelled(metrics.message_seconds, self._name).observe(time.perf_counter() - started)
            metrics._labelled(metrics.messages, self._name, result).inc()


def measured_payments(router, metrics: Metrics):
    """The payment router's provider clients wrapped, and its breakers exported."""
    router.providers = {name: MeasuredPayments(name, client, metrics) for name, client in router.providers.items()}
    metrics.breakers.routers.append(router)
    return router


def measured_senders(senders: dict, metrics: Metrics) -> dict:
    return {name: MeasuredSender(name, sender, metrics) for name, sender in senders.items()}


class BreakerCollector(Collector):
    """The payment routers' circuit breakers, as they are at scrape time: a process running the
    worker's loops in it (the embedded default) has two routers; a provider's breaker counts as
    open when either router's is."""

    def __init__(self) -> None:
        self.routers: list = []

    def collect(self) -> Iterable:
        opened = GaugeMetricFamily(
            "chopbar_payment_breaker_open", "1 while a provider's circuit breaker is open or half-open", labels=["provider"])
        failures = GaugeMetricFamily(
            "chopbar_payment_breaker_failures", "Failures in a row the provider's breaker has counted", labels=["provider"])
        states: dict[str, tuple[float, float]] = {}
        for router in self.routers:
            for name, breaker in router.breakers.items():
                was_open, was_failing = states.get(name, (0.0, 0.0))
                states[name] = (max(was_open, 0.0 if breaker.state == "closed" else 1.0), max(was_failing, float(breaker.failures)))
        for name, (is_open, failing) in sorted(states.items()):
            opened.add_metric([name], is_open)
            failures.add_metric([name], failing)
        yield opened
        yield failures


class Backlogs(Collector):
    """What waits (`core.backlog`), read before a scrape when the last read is older than
    BACKLOG_CACHE_S; a scrape never waits more than SCRAPE_READ_TIMEOUT_S for it (a database
    away leaves the last figures, and the time they were read says how old they are)."""

    def __init__(self, db: Database, *, accept_timeout_s: int, no_driver_after_s: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db, self.accept_timeout_s, self.no_driver_after_s, self.clock = db, accept_timeout_s, no_driver_after_s, clock
        self.last: backlog.Backlog | None = None
        self.read_at: float | None = None  # monotonic
        self.read_unix: float = 0.0
        self._reading: asyncio.Lock = asyncio.Lock()

    async def refresh(self) -> None:
        if self.read_at is not None and self.clock() - self.read_at < BACKLOG_CACHE_S:
            return
        async with self._reading:
            if self.read_at is not None and self.clock() - self.read_at < BACKLOG_CACHE_S:
                return
            try:
                async with asyncio.timeout(SCRAPE_READ_TIMEOUT_S):
                    async with self.db.unit() as unit:
                        self.last = await backlog.read(
                            unit, accept_timeout_s=self.accept_timeout_s, no_driver_after_s=self.no_driver_after_s)
            except Exception as exc:  # the scrape still answers: the last figures, their age
                log.warning("backlog not read for metrics", extra={"fields": {"error": str(exc)[:200]}})
                self.read_at = self.clock()  # not again before the cache time: a database away is not hammered
                return
            self.read_at, self.read_unix = self.clock(), time.time()

    def collect(self) -> Iterable:
        seen = self.last
        families = {
            "unsent": GaugeMetricFamily("chopbar_outbox_unsent", "Outbox messages queued or being sent"),
            "oldest": GaugeMetricFamily("chopbar_outbox_oldest_unsent_seconds", "Age of the oldest unsent outbox message"),
            "untaken": GaugeMetricFamily(
                "chopbar_delivery_jobs_untaken", "Delivery jobs still without a driver after the no-driver alert time"),
            "unanswered": GaugeMetricFamily(
                "chopbar_orders_unanswered", "Orders at their restaurant past the acceptance window, not yet expired"),
            "open": GaugeMetricFamily("chopbar_orders_open", "Orders not yet finished, by channel and state",
                                      labels=["channel", "state"]),
            "read": GaugeMetricFamily("chopbar_backlog_read_timestamp_seconds", "Unix time these counts were read"),
        }
        if seen is not None:
            families["unsent"].add_metric([], seen.unsent)
            families["oldest"].add_metric([], seen.oldest_unsent_s)
            families["untaken"].add_metric([], seen.untaken_jobs)
            families["unanswered"].add_metric([], seen.unanswered_orders)
            for (channel, state), count in sorted(seen.open_orders.items()):
                families["open"].add_metric([channel, state], count)
            families["read"].add_metric([], self.read_unix)
        yield from families.values()


def watch_backlog(registry: CollectorRegistry, before: list, db: Database, *, accept_timeout_s: int,
                  no_driver_after_s: int) -> Backlogs:
    found = Backlogs(db, accept_timeout_s=accept_timeout_s, no_driver_after_s=no_driver_after_s)
    registry.register(found)
    before.append(found.refresh)
    return found


async def exposition(registry: CollectorRegistry, before: Iterable[Callable[[], Awaitable[None]]]) -> web.Response:
    """The registry in Prometheus's text format, once what is read at scrape time is read."""
    for refresh in before:
        await refresh()
    return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


def worker_app(metrics: Metrics, before: list) -> web.Application:
    """The worker's own small server: /metrics, and /healthz answering 503 once its loops stall."""

    async def scrape(_request: web.Request) -> web.Response:
        return await exposition(metrics.registry, before)

    async def healthz(_request: web.Request) -> web.Response:
        beat = metrics.last_beat
        if beat is not None and time.time() - beat > HEARTBEAT_STALE_S:
            return web.json_response({"status": "stalled", "last_loop_s_ago": round(time.time() - beat)}, status=503)
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    app.router.add_get("/healthz", healthz)
    return app
