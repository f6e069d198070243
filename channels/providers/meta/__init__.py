"""Meta's WhatsApp Cloud API: the signed webhook in (messages, statuses), messages out."""
from channels.providers.meta import routes
from channels.providers.meta.sender import WhatsAppCloud
from channels.providers.meta.settings import MetaSettings
from channels.providers.provider import Provider, Reach


def sender(settings: MetaSettings, reach: Reach) -> WhatsAppCloud:
    return WhatsAppCloud(
        reach.url(settings.base_url, "meta"), settings.api_version, settings.phone_number_id,
        settings.access_token.get_secret_value(),
    )


PROVIDER = Provider("meta", MetaSettings, routes.setup, sender=sender, carries=("whatsapp",))
