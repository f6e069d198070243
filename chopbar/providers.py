"""The providers this service talks to, from one list, and what the composition root builds from
them: their webhooks, the payment router, the message senders (real APIs, or the simulators).

A new provider is a package under channels/providers/, one line in PROVIDERS, and its simulator.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from channels.payments.payouts import PayoutSender
from channels.payments.router import PaymentRouter
from channels.providers import africastalking, campay, meta, mtn, stripe, twilio
from channels.providers.provider import Provider, Reach
from channels.senders.sender import Sender

if TYPE_CHECKING:
    from chopbar.settings import Settings

PROVIDERS: tuple[Provider, ...] = (
    africastalking.PROVIDER, twilio.PROVIDER, meta.PROVIDER, mtn.PROVIDER, campay.PROVIDER, stripe.PROVIDER,
)
# Which providers collect for each payment method, in order of preference (SPEC and PROTOCOLS):
# MTN numbers through MTN's own API or CamPay, Orange numbers through CamPay, cards through Stripe.
# Cash has no provider: the driver collects it.
PAYMENT_ROUTES = {"mtn": ("mtn", "campay"), "orange": ("campay",), "card": ("stripe",)}
# Which providers pay out to each kind of wallet, in order of preference: MTN numbers through
# MTN's Disbursements (or CamPay withdraw), Orange numbers through CamPay withdraw. A payout
# keeps the provider of its first send: a transfer that may have been made is never sent elsewhere.
PAYOUT_ROUTES = {"mtn": ("mtn", "campay"), "orange": ("campay",)}


def setup(app: web.Application) -> None:
    """Every provider's webhooks, always mounted (they check signatures with the simulators' own
    secrets in the embedded default)."""
    for provider in PROVIDERS:
        provider.setup(app)


def _reach(settings: Settings) -> Reach:
    return Reach(self_url=settings.self_url, timeout_s=settings.provider_timeout)


def payment_router(settings: Settings) -> PaymentRouter:
    reach = _reach(settings)
    clients = {p.name: p.payments(getattr(settings, p.name), reach) for p in PROVIDERS if p.payments is not None}
    return PaymentRouter(clients, routes=PAYMENT_ROUTES)


def payout_sender(settings: Settings) -> PayoutSender:
    reach = _reach(settings)
    clients = {p.name: p.payouts(getattr(settings, p.name), reach) for p in PROVIDERS if p.payouts is not None}
    return PayoutSender(clients, routes=PAYOUT_ROUTES)


def senders(settings: Settings) -> dict[str, Sender]:
    """Outbound messages by channel: SMS through CHOPBAR_SMS_PROVIDER's gateway (the first that
    carries SMS if it names none that does); WhatsApp falls back to SMS outside its 24-hour window."""
    reach = _reach(settings)
    chosen = {}
    for channel in ("sms", "whatsapp"):
        carriers = [p for p in PROVIDERS if p.sender is not None and channel in p.carries]
        named = [p for p in carriers if p.name == settings.sms_provider] if channel == "sms" else []
        if carriers:
            provider = (named or carriers)[0]
            chosen[channel] = provider.sender(getattr(settings, provider.name), reach)
    return chosen
