"""CamPay's settings, CHOPBAR_CAMPAY_*: the application's API user, and the key that signs its webhook."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class CampaySettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_CAMPAY_")

    webhook_key: SecretStr = secret("sim-campay-webhook-key-for-the-simulator", "the webhook key of the CamPay application")
    base_url: str = ""
    username: str = "sim-campay"
    password: SecretStr = secret("sim-campay-password", "the CamPay application's API password")
