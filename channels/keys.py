"""The application's shared objects, as typed aiohttp AppKeys."""
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from core.db import Database

if TYPE_CHECKING:  # the composition root builds these; channels only read them
    from chopbar.settings import Settings

SETTINGS: web.AppKey["Settings"] = web.AppKey("settings")
DATABASE = web.AppKey("database", Database)
REDIS: web.AppKey[Any] = web.AppKey("redis")  # redis.asyncio.Redis, or None when not configured
METRICS = web.AppKey("metrics", CollectorRegistry)
DIALOGS: web.AppKey[Any] = web.AppKey("dialogs")  # channels.dialogs.engine.Dialogs
WAKE: web.AppKey[Any] = web.AppKey("wake")  # chopbar.worker.Wakeup: the in-process worker, now
HUB: web.AppKey[Any] = web.AppKey("hub")  # channels.api.realtime.Hub
CATALOG_NEWS: web.AppKey[Any] = web.AppKey("catalog_news")  # channels.catalog_news.CatalogNews
PAYMENTS: web.AppKey[Any] = web.AppKey("payments")  # channels.payments.jobs.PaymentJobs, for calls the app waits on
RATES: web.AppKey[Any] = web.AppKey("rates")  # channels.api.limits counter, memory or Redis
SMS: web.AppKey[Any] = web.AppKey("sms")  # channels.sms.conversation.SmsConversations
CHATS: web.AppKey[Any] = web.AppKey("chats")  # channels.chats.ChatConversations
REVOCATIONS: web.AppKey[Any] = web.AppKey("revocations")  # channels.api.revocations: access tokens refused before expiry
KEEPER: web.AppKey[Any] = web.AppKey("keeper")  # channels.inbound_keeper.InboundKeeper: messages kept through an outage
WATCHES: web.AppKey[dict] = web.AppKey("watches", dict)  # channels.outages.Watch per service ("redis", "database")
SIM_SMS: web.AppKey[Any] = web.AppKey("sim_sms")  # simulators.sms_gateway.SmsGateway
SIM_WHATSAPP: web.AppKey[Any] = web.AppKey("sim_whatsapp")  # simulators.whatsapp_cloud
SIM_TWILIO: web.AppKey[Any] = web.AppKey("sim_twilio")  # simulators.twilio_gateway.TwilioGateway
PAYOUTS: web.AppKey[Any] = web.AppKey("payouts")  # channels.payments.payouts.PayoutJobs: clients, rules, sending
SIM_PAYMENTS: web.AppKey[Any] = web.AppKey("sim_payments")  # simulators.payment_book.PaymentBook

CLAIMS: web.RequestKey[dict] = web.RequestKey("claims", dict)  # the bearer token's claims, read once per request
