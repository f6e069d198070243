"""CamPay: MTN and Orange collections, refunds and payouts out, its JWT-signed webhook in."""
from channels.providers.campay import routes
from channels.providers.campay.client import Campay
from channels.providers.campay.settings import CampaySettings
from channels.providers.provider import Provider, Reach


def client(settings: CampaySettings, reach: Reach) -> Campay:
    return Campay(
        reach.url(settings.base_url, "campay"), settings.username, settings.password.get_secret_value(),
        timeout_s=reach.timeout_s,
    )


PROVIDER = Provider("campay", CampaySettings, routes.setup, payments=client, payouts=client)
