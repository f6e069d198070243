"""Africa's Talking's settings, CHOPBAR_AT_*: its API account, and the networks its unsigned posts may come from."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class AfricasTalkingSettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_AT_")
    real_when = ("api_key", "base_url")

    allowed_networks: str = ""  # comma-separated; empty: any caller
    username: str = ""
    api_key: SecretStr = secret("", "the Africa's Talking API key")
    base_url: str = ""
    sender_id: str = ""
