"""Mounts the simulated payment providers and their console on an application."""
from collections.abc import Callable

from aiohttp import web

from simulators.campay import CampaySimulator
from simulators.momo import MomoSimulator
from simulators.payment_book import PaymentBook
from simulators.payments_console import PaymentsConsole
from simulators.stripe_sim import StripeSimulator

__all__ = ["PaymentBook", "setup"]


def setup(
    app: web.Application,
    book: PaymentBook,
    *,
    campay_webhook_url: Callable[[], str],
    campay_webhook_key: str,
    stripe_webhook_url: Callable[[], str],
    stripe_webhook_secret: str,
) -> None:
    MomoSimulator(book).setup(app)
    CampaySimulator(book, campay_webhook_url, campay_webhook_key).setup(app)
    StripeSimulator(book, stripe_webhook_url, stripe_webhook_secret).setup(app)
    PaymentsConsole(book).setup(app)
