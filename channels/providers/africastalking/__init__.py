"""Africa's Talking: USSD and SMS in (unsigned, optionally limited to its networks), SMS out."""
from aiohttp import web

from channels.providers.africastalking import sms, ussd
from channels.providers.africastalking.sender import AfricasTalkingSms
from channels.providers.africastalking.settings import AfricasTalkingSettings
from channels.providers.provider import Provider, Reach


def setup(app: web.Application) -> None:
    ussd.setup(app)
    sms.setup(app)


def sender(settings: AfricasTalkingSettings, reach: Reach) -> AfricasTalkingSms:
    return AfricasTalkingSms(
        reach.url(settings.base_url, "at"), settings.username or "sandbox",
        settings.api_key.get_secret_value() or "sim-at-api-key", settings.sender_id,
    )


PROVIDER = Provider("africastalking", AfricasTalkingSettings, setup, sender=sender, carries=("sms",))
