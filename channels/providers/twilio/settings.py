"""Twilio's settings, CHOPBAR_TWILIO_*: the account, its number, and the token that signs both ways."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class TwilioSettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_TWILIO_")

    auth_token: SecretStr = secret("sim-twilio-auth-token", "the Auth Token of the Twilio account")
    account_sid: str = "AC00000000000000000000000000000000"
    number: str = "+237690000000"
    base_url: str = ""
