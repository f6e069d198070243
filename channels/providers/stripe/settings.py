"""Stripe's settings, CHOPBAR_STRIPE_*: the secret key, and the webhook endpoint's signing secret."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class StripeSettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_STRIPE_")

    webhook_secret: SecretStr = secret("whsec_simstripesecret", "the signing secret of the Stripe webhook endpoint (whsec_...)")
    base_url: str = ""
    api_key: SecretStr = secret("sk_test_simchopbar", "the Stripe secret key (sk_live_...)")
