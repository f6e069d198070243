"""MTN MoMo's settings, CHOPBAR_MTN_*: the API user and key, and the Collections and Disbursements keys."""
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from channels.providers.settings import ProviderSettings, secret


class MtnSettings(ProviderSettings):
    model_config = SettingsConfigDict(env_prefix="CHOPBAR_MTN_")

    base_url: str = ""
    api_user: str = "sim-api-user"
    api_key: SecretStr = secret("sim-api-key", "the MTN MoMo API key")
    collection_key: SecretStr = secret("sim-collection-key", "the MTN MoMo Collections subscription key")
    disbursement_key: SecretStr = secret("sim-disbursement-key", "the MTN MoMo Disbursements subscription key")
    target_environment: str = "sandbox"  # "mtncameroon" in production
