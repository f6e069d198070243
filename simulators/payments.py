"""Mounts the simulated payment providers and their console on an application."""
from collections.abc import Callable

from aiohttp import web

from simulators.campay import CampaySimulator
from simulators.momo import MomoSimulator
from simulators.payment_book import Faults, PaymentBook, SimPayment
from simulators.payments_console import PaymentsConsole
from simulators.stripe_sim import StripeSimulator

__all__ = ["Faults", "PaymentBook", "SimPayment", "setup"]


def setup(
    app: web.Application,
    book: PaymentBook,
    *,
    campay_webhook_url: Callable[[], str],
    campay_webhook_key: str,
    stripe_webhook_url: Callable[[], str],
    stripe_webhook_secret: str,
) -> None:
    """Mounts MTN MoMo, CamPay, Stripe and /sim/payments; the URLs are asked for at each webhook."""
    MomoSimulator(book).setup(app)
    CampaySimulator(book, campay_webhook_url, campay_webhook_key).setup(app)
    StripeSimulator(book, stripe_webhook_url, stripe_webhook_secret).setup(app)
    PaymentsConsole(book).setup(app)
