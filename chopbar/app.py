"""The aiohttp application factory: settings, database, Redis, routes, start-up and shutdown."""
import asyncio
import logging

from aiohttp import web
from prometheus_client import CollectorRegistry
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError

from prometheus_client import Histogram

from channels import console, health, sim_console, web_security
from channels import metrics as business_metrics
from channels.catalog_news import CatalogNews
from channels.api import realtime
from channels.api import routes as api_routes
from channels.api.limits import FallbackCounter, MemoryCounter, RedisCounter, limiter
from channels.dialogs.engine import Dialogs
from channels.api.revocations import MemoryRevocations, RedisRevocations
from channels.chats import ChatConversations
from channels.inbound_keeper import InboundKeeper, answer_kept, through
from channels.inbound_spool import Spool
from channels.keys import (
    CATALOG_NEWS, CHATS, DATABASE, DIALOGS, HUB, KEEPER, METRICS, PAYMENTS, PAYOUTS, RATES, REVOCATIONS, WAKE, REDIS, SETTINGS, SIM_PAYMENTS, SIM_SMS,
    SIM_TWILIO, SIM_WHATSAPP, SMS, WATCHES,
)
from channels.number_limits import NumberLimits
from channels.outages import Watch, is_outage
from channels.payments.jobs import PaymentJobs
from channels.payments.payouts import PayoutJobs
from channels.forwarded import real_client
from channels.middleware import expected_errors, measured, slow_clients
from channels.session_store import FallbackStore, MemoryStore, RedisStore
from channels.sms.conversation import SmsConversations
from menus.render import text as text_render
from menus.render import ussd
from menus.render import whatsapp as whatsapp_render
from simulators import payments as simulated_payments
from simulators.sms_gateway import SmsGateway
from simulators.twilio_gateway import TwilioGateway
from simulators.web_phone import WebPhone
from simulators.whatsapp_cloud import WhatsAppCloudSimulator
from chopbar.migrate import upgrade_async
from chopbar import logs, providers
from chopbar.providers import payment_router, payout_sender
from chopbar.seed import seed_demo, seed_gazetteer
from chopbar.settings import Settings
from chopbar.worker import Wakeup, backlog_of, jobs_for, run_jobs
from core import loyalty, sealing
from core.db import Clock, Database, utcnow
from core.i18n import translate
from core.payment_retry import RetryRules

log = logging.getLogger("chopbar")
MAX_BODY_BYTES = 256 * 1024  # gateways send small forms; anything bigger is not for us
REDIS_CONNECTIONS = 64  # per web process; commands are short, so a few dozen serve hundreds of callers
REDIS_CONNECT_TIMEOUT_S = 1.0
REDIS_COMMAND_TIMEOUT_S = 2.0  # every command the service sends Redis answers in milliseconds


async def _embedded_setup(app: web.Application):
    """The embedded default creates, migrates and seeds its own SQLite database, before
    anything else starts (the in-process worker included)."""
    settings = app[SETTINGS]
    if settings.is_sqlite:
        await upgrade_async(settings.database_url)
    try:
        if settings.seed_demo and await seed_demo(app[DATABASE]):
            log.info("demo data seeded")
        elif added := await seed_gazetteer(app[DATABASE]):
            log.info("quarter gazetteer loaded", extra=logs.fields(quarters=added))
    except Exception as exc:
        if not is_outage(exc):
            raise
        # Serve what needs no database; the next start (or `chopbar seed --gazetteer`) loads it.
        log.warning("database away at start: quarter gazetteer not checked")
    yield


async def _close(app: web.Application) -> None:
    await app[PAYMENTS].router.close()
    await app[PAYOUTS].sender.close()
    await app[DATABASE].close()
    if app[REDIS] is not None:
        await app[REDIS].aclose()


def _redis(url: str) -> Redis:
    """A bounded pool that makes a request wait for a free connection rather than fail: under a
    burst, redis-py's default pool refuses the 101st concurrent command.

    Short connect and read timeouts, so a Redis that is away costs a hop a second at most, not
    the gateway's patience; each command retried twice on a connection error, so the pooled
    connections Redis dropped when it went away reconnect on their next use instead of each
    failing once; idle connections pinged before use.
    """
    pool = BlockingConnectionPool.from_url(
        url, max_connections=REDIS_CONNECTIONS, timeout=10, decode_responses=True,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S, socket_timeout=REDIS_COMMAND_TIMEOUT_S,
        retry=Retry(ExponentialBackoff(cap=0.25, base=0.02), 2), retry_on_error=[RedisConnectionError, RedisTimeoutError],
        health_check_interval=10,
    )
    return Redis.from_pool(pool)


def create_app(settings: Settings | None = None, *, clock: Clock = utcnow) -> web.Application:
    settings = settings or Settings.from_env()
    sealing.install(settings.keyring())
    loyalty.configure(settings.loyalty_rules())
    registry = CollectorRegistry()
    redis = _redis(settings.redis_url) if settings.redis_url else None
    watches = {"redis": Watch("redis"), "database": Watch("database")}  # one log line per outage, shared
    rates = FallbackCounter(RedisCounter(redis, settings.redis_prefix, watches["redis"])) if redis is not None else MemoryCounter()
    app = web.Application(
        middlewares=[
            real_client(settings.trusted_proxies), measured(registry), expected_errors(watches),
            slow_clients(settings.request_timeout),
            limiter(rates, (settings.api_requests_per_15_min, 15 * 60)),
        ],
        client_max_size=MAX_BODY_BYTES,
        # aiohttp's keep-alive timer also closes a connection whose request has not begun, or
        # whose headers have not all come, by then: the slow sender's other half (the body is
        # slow_clients'). Idle keep-alive connections close then too: a proxy in front keeps its
        # idle upstream connections for less.
        handler_args={"keepalive_timeout": settings.request_timeout},
    )
    web_security.setup(app, cors_origins=web_security.origins(settings.cors_origins),
                       https=settings.public_url.startswith("https://"))
    app[WATCHES] = watches
    app[RATES] = rates
    app[SETTINGS] = settings
    app[METRICS] = registry
    app[DATABASE] = Database(settings.database_url, clock=clock)  # connects lazily
    app[PAYOUTS] = PayoutJobs(app[DATABASE], payout_sender(settings), settings.payout_rules())
    app[business_metrics.METRICS] = business = business_metrics.Metrics(registry)
    app[business_metrics.BEFORE_SCRAPE] = []
    app[DATABASE].listeners.append(business.committed)
    app.cleanup_ctx.append(_measures)
    app[PAYMENTS] = PaymentJobs(
        app[DATABASE], business_metrics.measured_payments(payment_router(settings), business),
        RetryRules(window_s=settings.payment_retry_window, ussd_code=settings.ussd_code),
    )
    app[REDIS] = redis
    app[HUB] = realtime.Hub(redis, settings.redis_prefix, watches["redis"])
    app[DATABASE].listeners.append(app[HUB].committed)
    if redis is not None:
        app.cleanup_ctx.append(_hub_listener)
    app[WAKE] = Wakeup()
    limits = NumberLimits(rates, settings.ussd_hops_per_number_per_min, settings.sms_per_number_per_10_min)
    app[DIALOGS] = _dialogs(settings, app[DATABASE], app[REDIS], registry, app[WAKE], watches["redis"], limits)
    app[CATALOG_NEWS] = CatalogNews(app[DIALOGS].catalog, redis, settings.redis_prefix, watches["redis"],
                                    every_s=settings.catalog_check_interval)
    app[DATABASE].catalog_listeners.append(app[CATALOG_NEWS].committed)
    app.cleanup_ctx.append(_catalog_news)
    app[KEEPER] = InboundKeeper(app[DATABASE], Spool(settings.spool_path), watches["database"])
    app[SMS] = SmsConversations(
        app[DATABASE], app[DIALOGS].store, app[DIALOGS].catalog, tz=settings.timezone, default_language=settings.default_language,
        ussd_code=settings.ussd_code, payment_window_s=settings.payment_window, wake=lambda what: app[WAKE].set(),
        limits=limits, keeper=app[KEEPER], payout_rules=settings.payout_rules(), rating_window_s=settings.rating_window,
        public_url=settings.self_url, export_link_ttl_s=settings.export_link_ttl,
        revoke=lambda revocation: app[REVOCATIONS].revoke(revocation),
    )
    app[CHATS] = ChatConversations(
        app[DATABASE], app[DIALOGS], limits=limits, keeper=app[KEEPER], default_language=settings.default_language,
        rating_window_s=settings.rating_window,
    )
    app[REVOCATIONS] = RedisRevocations(redis, settings.redis_prefix) if redis is not None else MemoryRevocations()
    app.cleanup_ctx.append(_embedded_setup)
    app.cleanup_ctx.append(_kept_messages)
    if settings.run_worker:
        app[business_metrics.BEFORE_SCRAPE].append(backlog_of(settings, app[DATABASE], business))
        app.cleanup_ctx.append(_in_process_worker)
    app.on_cleanup.append(_close)
    health.setup(app)
    providers.setup(app)
    api_routes.setup(app)
    console.setup(app)
    if settings.uses_simulators:
        sim_console.setup(app)
        _simulated_providers(app, settings, clock)
    return app


def _simulated_providers(app: web.Application, settings: Settings, clock: Clock) -> None:
    """Gateway and provider stand-ins under /sim/, calling this service back over HTTP."""
    here = lambda: settings.self_url  # noqa: E731
    app[SIM_SMS] = SmsGateway(here)
    app[SIM_WHATSAPP] = WhatsAppCloudSimulator(here, settings.meta.app_secret.get_secret_value())
    app[SIM_TWILIO] = TwilioGateway(here, settings.twilio.auth_token.get_secret_value())
    for simulator in (app[SIM_SMS], app[SIM_WHATSAPP], app[SIM_TWILIO]):
        simulator.setup(app)
    WebPhone(here, translate=translate, default_language=settings.default_language, service_code=settings.ussd_code).setup(app)
    book = simulated_payments.PaymentBook(mode=settings.sim_momo, clock=clock)
    app[SIM_PAYMENTS] = book
    simulated_payments.setup(
        app, book,
        campay_webhook_url=lambda: f"{settings.self_url}/payments/campay/callback",
        campay_webhook_key=settings.campay.webhook_key.get_secret_value(),
        stripe_webhook_url=lambda: f"{settings.self_url}/payments/stripe/webhook",
        stripe_webhook_secret=settings.stripe.webhook_secret.get_secret_value(),
    )


async def _measures(app: web.Application):
    """The domain's durations (acceptance, dispatch) counted while this app runs."""
    app[business_metrics.METRICS].watch_measures()
    yield
    app[business_metrics.METRICS].unwatch_measures()


async def _hub_listener(app: web.Application):
    """Hears order changes committed by any process, for this process's live clients."""
    task = asyncio.create_task(app[HUB].listen())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _catalog_news(app: web.Application):
    """Drops this process's catalog snapshot when another process changes the catalog."""
    task = asyncio.create_task(app[CATALOG_NEWS].run())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _kept_messages(app: web.Application):
    """Answers the messages kept through an outage, in every web process, once it is over."""
    stop = asyncio.Event()
    task = asyncio.create_task(answer_kept(app[KEEPER], through(app[SMS], app[CHATS]), stop, app[WATCHES]))
    yield
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=10)
    except TimeoutError:  # a message still being answered: it stays kept, and is answered after the restart
        log.warning("stopped while answering kept messages")


async def _in_process_worker(app: web.Application):
    """The embedded default's worker, inside the web process; stopped with it."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_jobs(jobs_for(app[SETTINGS], app[DATABASE], app[business_metrics.METRICS]), stop, app[WAKE]))
    yield
    stop.set()
    await asyncio.wait_for(task, timeout=10)


def _dialogs(
    settings: Settings, db: Database, redis, registry: CollectorRegistry, kick: Wakeup, watch: Watch, limits: NumberLimits,
) -> Dialogs:
    session_bytes = Histogram(
        "chopbar_dialog_session_bytes",
        "Size of a dialog session as stored",
        buckets=(128, 256, 512, 1024, 2048, 4096),
        registry=registry,
    )
    store = RedisStore(redis, settings.redis_prefix, watch) if redis is not None else MemoryStore()
    return Dialogs(
        db,
        store,
        ussd_store=FallbackStore(store) if redis is not None else store,
        limits=limits,
        tz=settings.timezone,
        default_language=settings.default_language,
        ussd_code=settings.ussd_code,
        renderers={
            "ussd": lambda view: ussd.show(view, settings.ussd_max_chars),
            "whatsapp": whatsapp_render.show,
            "whatsapp-text": text_render.show,
        },
        payment_window_s=settings.payment_window,
        on_session_bytes=session_bytes.observe,
        wake=lambda what: kick.set(),
    )
