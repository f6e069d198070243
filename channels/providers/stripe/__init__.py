"""Stripe: card PaymentIntents and refunds out, its signed webhook in."""
from channels.providers.provider import Provider, Reach
from channels.providers.stripe import routes
from channels.providers.stripe.client import StripeCards
from channels.providers.stripe.settings import StripeSettings


def client(settings: StripeSettings, reach: Reach) -> StripeCards:
    return StripeCards(settings.api_key.get_secret_value(), reach.url(settings.base_url, "stripe"))


PROVIDER = Provider("stripe", StripeSettings, routes.setup, payments=client)
