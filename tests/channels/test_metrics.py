"""The business and worker metrics over HTTP, as Prometheus scrapes them: a USSD order placed and
accepted moves the order counters and the acceptance time, hops count by screen, an abandoned
session by the screen it was left on; the worker's own port shows its loops, heartbeat, sends
and the outbox it reads at scrape time."""
import asyncio
import re

import aiohttp
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from channels.keys import DATABASE
from channels.metrics import Metrics, measured_payments
from channels.payments.router import PaymentRouter
from chopbar.app import create_app
from chopbar.worker import jobs_for, run_jobs, serve_metrics, worker_metrics
from core import backlog
from core.accepting import accept
from core.models import Order, Payment, Restaurant
from core.payments import ProviderAnswer
from core.provider_error import ProviderError
from tests.channels.test_ussd_africastalking import pickup_in_cash
from tests.conftest import free_port
from tests.ussd import gateway_for, pick


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of a scrape."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(scraped: dict, name: str, **labels) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(chopbar) -> dict:
    response = await chopbar.get("/metrics")
    assert response.status == 200
    return samples(await response.text())


async def test_a_ussd_order_placed_and_accepted_moves_the_order_counters(chopbar):
    before = await scrape(chopbar)
    session = gateway_for(chopbar).dial("+237699555301")
    await session.open()
    end = await pickup_in_cash(session)
    assert session.last.ended, end
    code = end.split()[1].rstrip(":")
    placed = await scrape(chopbar)
    key = dict(channel="ussd", state="PENDING_RESTAURANT")
    assert value(placed, "chopbar_orders_placed_total", **key) == value(before, "chopbar_orders_placed_total", **key) + 1
    assert value(placed, "chopbar_ussd_hop_seconds_count", screen="home") >= 1
    assert value(placed, "chopbar_ussd_hop_seconds_count", screen="placed") == 1

    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        restaurant = await unit.session.get(Restaurant, order.restaurant_id)
        await accept(unit, order, restaurant, actor="test", minutes=20)
    accepted = await scrape(chopbar)
    moved = dict(trigger="accept", from_state="PENDING_RESTAURANT", to_state="ACCEPTED")
    assert value(accepted, "chopbar_order_transitions_total", **moved) == 1
    assert value(accepted, "chopbar_order_acceptance_seconds_count") == 1


async def test_a_session_left_on_a_screen_counts_as_abandoned_there_once(chopbar):
    session = gateway_for(chopbar).dial("+237699555302")
    await session.open()
    await pick(session, "Commander a manger")
    await pick(session, "Yaounde")
    assert await session.hang_up(status="Incomplete") == 200
    assert await session.hang_up(status="Incomplete") == 200  # the gateway's notice again: once
    scraped = await scrape(chopbar)
    assert value(scraped, "chopbar_ussd_sessions_abandoned_total", screen="restaurants") == 1
    assert value(scraped, "chopbar_ussd_sessions_ended_total", screen="restaurants") == 1


async def test_a_rolled_back_unit_counts_no_order_change(chopbar):
    before = await scrape(chopbar)
    session = gateway_for(chopbar).dial("+237699555303")
    await session.open()
    code = (await pickup_in_cash(session)).split()[1].rstrip(":")
    try:
        async with chopbar.app[DATABASE].unit() as unit:
            order = await unit.session.scalar(select(Order).where(Order.code == code))
            await accept(unit, order, await unit.session.get(Restaurant, order.restaurant_id), actor="test", minutes=20)
            raise RuntimeError("the unit fails after the change")
    except RuntimeError:
        pass
    moved = dict(trigger="accept", from_state="PENDING_RESTAURANT", to_state="ACCEPTED")
    after = await scrape(chopbar)
    assert value(after, "chopbar_order_transitions_total", **moved) == value(before, "chopbar_order_transitions_total", **moved)


async def test_the_worker_serves_its_loops_sends_and_outbox_on_its_own_port(chopbar, settings):
    settings = settings.model_copy(update={"worker_metrics_port": free_port()})
    db = chopbar.app[DATABASE]
    metrics, before = worker_metrics(settings, db)
    session = gateway_for(chopbar).dial("+237699555304")
    await session.open()
    await pickup_in_cash(session)  # the restaurant's SMS waits in the outbox
    runner = await serve_metrics(settings, metrics, before)
    url = f"http://127.0.0.1:{settings.worker_metrics_port}"
    stop = asyncio.Event()
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(f"{url}/metrics") as response:
                waiting = samples(await response.text())
            assert waiting[("chopbar_outbox_unsent", ())] >= 1
            assert waiting[("chopbar_outbox_oldest_unsent_seconds", ())] >= 0
            assert ("chopbar_worker_heartbeat_seconds", ()) not in waiting  # no loop has come round yet
            task = asyncio.create_task(run_jobs(jobs_for(settings, db, metrics), stop))
            for _ in range(300):
                async with client.get(f"{url}/metrics") as response:
                    scraped = samples(await response.text())
                if sum(v for (name, labels), v in scraped.items() if name == "chopbar_messages_sent_total") >= 1:
                    break
                await asyncio.sleep(0.1)
            stop.set()
            await asyncio.wait_for(task, 15)
            async with client.get(f"{url}/metrics") as response:  # the loops that sent have now come round
                scraped = samples(await response.text())
            async with client.get(f"{url}/healthz") as response:
                assert response.status == 200
    finally:
        stop.set()
        await runner.cleanup()
    assert scraped[("chopbar_worker_heartbeat_seconds", ())] > 0
    assert value(scraped, "chopbar_worker_loop_seconds_count", loop="outbox") >= 1
    sent = {dict(labels)["provider"]: v for (name, labels), v in scraped.items()
            if name == "chopbar_messages_sent_total" and dict(labels)["result"] == "sent"}
    assert sum(sent.values()) >= 1, scraped


def test_one_registry_takes_the_metrics_once():
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    Metrics(registry)
    names = {family.name for family in registry.collect()}
    assert {"chopbar_orders_placed", "chopbar_worker_heartbeat_seconds"} <= names
    assert all(re.fullmatch(r"chopbar_[a-z_]+", name) for name in names)


async def test_the_backlog_counts_orders_left_unanswered_past_the_window(chopbar, clock, settings):
    session = gateway_for(chopbar).dial("+237699555305")
    await session.open()
    await pickup_in_cash(session)
    async with chopbar.app[DATABASE].unit() as unit:
        now = await backlog.read(unit, accept_timeout_s=settings.accept_timeout, no_driver_after_s=300)
    clock.advance(seconds=settings.accept_timeout + 1)
    async with chopbar.app[DATABASE].unit() as unit:
        later = await backlog.read(unit, accept_timeout_s=settings.accept_timeout, no_driver_after_s=300)
    assert (now.unanswered_orders, later.unanswered_orders) == (0, 1)
    assert later.open_orders[("ussd", "PENDING_RESTAURANT")] >= 1
    assert later.unsent >= 1 and later.oldest_unsent_s >= settings.accept_timeout


async def test_the_embedded_default_serves_its_worker_metrics_on_the_web_port(aiohttp_client, settings, clock):
    app = create_app(settings.model_copy(update={"run_worker": True}), clock=clock)
    client = await aiohttp_client(app)
    for _ in range(50):
        scraped = await scrape(client)
        if value(scraped, "chopbar_worker_loop_seconds_count", loop="outbox") >= 1:
            break
        await asyncio.sleep(0.1)
    assert value(scraped, "chopbar_worker_loop_seconds_count", loop="outbox") >= 1
    assert ("chopbar_outbox_unsent", ()) in scraped
    assert {dict(labels)["provider"] for (name, labels) in scraped if name == "chopbar_payment_breaker_open"} >= {"mtn", "campay"}


class FlakyProvider:
    """A payment provider that answers, then fails as told."""

    def __init__(self, failures: list) -> None:
        self.failures = failures

    async def request(self, payment):
        if self.failures and (failure := self.failures.pop(0)) is not None:
            raise failure
        return ProviderAnswer("pending", provider_reference="ref-1")

    async def close(self) -> None:
        pass


async def test_payment_requests_count_by_provider_and_outcome_and_the_breaker_shows_open():
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    down = ProviderError("HTTP 503", retryable=True)
    router = measured_payments(PaymentRouter(
        {"mtn": FlakyProvider([None, ProviderError("timed out", retryable=True, maybe_received=True)] + [down] * 6),
         "campay": FlakyProvider([])},
        routes={"mtn": ("mtn", "campay")}, sleep=lambda s: asyncio.sleep(0),
    ), metrics)
    payment = Payment(method="mtn", provider=None)
    assert (await router.request(payment)).provider == "mtn"
    assert (await router.request(payment)).maybe_received
    for _ in range(3):
        await router.request(payment)  # mtn fails, campay takes it
    scraped = samples(generate_latest(registry).decode())
    assert value(scraped, "chopbar_payment_requests_total", provider="mtn", outcome="pending") == 1
    assert value(scraped, "chopbar_payment_requests_total", provider="mtn", outcome="timeout") == 1
    assert value(scraped, "chopbar_payment_requests_total", provider="mtn", outcome="error") >= 4
    assert value(scraped, "chopbar_payment_requests_total", provider="campay", outcome="pending") >= 1
    assert value(scraped, "chopbar_payment_request_seconds_count", provider="mtn") >= 6
    assert value(scraped, "chopbar_payment_breaker_open", provider="mtn") == 1
    assert value(scraped, "chopbar_payment_breaker_open", provider="campay") == 0


def test_only_changes_of_state_count_as_transitions_and_a_bad_event_never_fails_the_commit():
    from types import SimpleNamespace as Event

    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.committed([
        Event(entity="order", trigger="place", from_state="DRAFT", to_state="AWAITING_PAYMENT", data={"channel": "sms"}),
        Event(entity="order", trigger="refund_requested", from_state=None, to_state=None, data={}),
        Event(entity="delivery", trigger="take", from_state="OFFERED", to_state="ASSIGNED", data={}),
        Event(entity="payment", trigger="confirm", from_state="PENDING", to_state="SUCCESSFUL", data={}),
    ])
    metrics.committed([object()])  # no entity at all: logged, not raised
    assert registry.get_sample_value("chopbar_orders_placed_total", {"channel": "sms", "state": "AWAITING_PAYMENT"}) == 1
    assert [s for f in registry.collect() if f.name == "chopbar_order_transitions" for s in f.samples] == []
    assert registry.get_sample_value("chopbar_delivery_transitions_total",
                                     {"trigger": "take", "from_state": "OFFERED", "to_state": "ASSIGNED"}) == 1
