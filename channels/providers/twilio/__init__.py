"""Twilio: SMS and WhatsApp in (signed, TwiML replies), status callbacks, SMS out."""
from channels.providers.provider import Provider, Reach
from channels.providers.twilio import routes
from channels.providers.twilio.sender import TwilioSms
from channels.providers.twilio.settings import TwilioSettings


def sender(settings: TwilioSettings, reach: Reach) -> TwilioSms:
    return TwilioSms(
        settings.account_sid, settings.auth_token.get_secret_value(), settings.number,
        status_callback=f"{reach.self_url}/twilio/status", base_url=reach.url(settings.base_url, "twilio"),
    )


PROVIDER = Provider("twilio", TwilioSettings, routes.setup, sender=sender, carries=("sms",))
