"""Meta's settings, CHOPBAR_META_*: the app's secrets for the webhook, the Cloud API number and token."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class MetaSettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_META_")

    app_secret: SecretStr = secret("sim-meta-app-secret", "the App Secret of the Meta app")
    verify_token: SecretStr = secret("sim-meta-verify-token", "a long random string, typed also in the Meta app's webhook settings")
    base_url: str = ""
    api_version: str = "v21.0"
    phone_number_id: str = "100200300400500"
    access_token: SecretStr = secret("sim-meta-access-token", "the WhatsApp Cloud API access token")
