"""Every setting of the service, read from CHOPBAR_* environment variables and nowhere else."""
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = ROOT / "var" / "chopbar.sqlite3"

# Names of settings whose values never appear in logs or in `chopbar settings`.
SECRET = "secret"
MIN_JWT_SECRET = 32  # characters: it signs every access token, and a short one can be guessed offline
# What a good value of each secret is, for the message that refuses to start without one.
SECRET_HINTS = {
    "jwt_secret": f"a long random string, at least {MIN_JWT_SECRET} characters (it signs access tokens)",
    "twilio_auth_token": "the Auth Token of the Twilio account",
    "meta_app_secret": "the App Secret of the Meta app",
    "meta_verify_token": "a long random string, typed also in the Meta app's webhook settings",
    "meta_access_token": "the WhatsApp Cloud API access token",
    "campay_webhook_key": "the webhook key of the CamPay application",
    "campay_password": "the CamPay application's API password",
    "stripe_webhook_secret": "the signing secret of the Stripe webhook endpoint (whsec_...)",
    "stripe_api_key": "the Stripe secret key (sk_live_...)",
    "at_api_key": "the Africa's Talking API key",
    "mtn_api_key": "the MTN MoMo API key",
    "mtn_collection_key": "the MTN MoMo Collections subscription key",
    "mtn_disbursement_key": "the MTN MoMo Disbursements subscription key",
}
# Settings that point the service at a real gateway or provider: any of them set is production.
REAL_PROVIDERS = ("at_api_key", "at_base_url", "meta_base_url", "twilio_base_url", "mtn_base_url", "campay_base_url",
                  "stripe_base_url")


def _typed(name: str, raw: str, kind: type):
    try:
        if kind is bool:
            return raw.strip().lower() not in ("0", "false", "no", "off", "")
        if kind in (int, float):
            return kind(raw)
    except ValueError:
        raise SystemExit(f"CHOPBAR_{name.upper()} must be a number, not {raw!r}") from None
    return raw.upper() if name == "log_level" else raw


def _secret(default: str = ""):
    return field(default=default, metadata={SECRET: True})


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
    redis_url: str = ""
    redis_prefix: str = "chopbar:"
    host: str = "0.0.0.0"
    port: int = 8080
    accept_timeout: int = 300
    ussd_max_chars: int = 160
    default_language: str = "fr"
    timezone: str = "Africa/Douala"
    public_url: str = ""
    seed_demo: bool = True
    run_worker: bool = True
    log_level: str = "INFO"
    ussd_code: str = "*384*2468#"
    sim_momo: str = "manual"
    twilio_auth_token: str = _secret("sim-twilio-auth-token")
    twilio_account_sid: str = "AC00000000000000000000000000000000"
    twilio_number: str = "+237690000000"
    twilio_base_url: str = ""
    sms_provider: str = "africastalking"  # or "twilio"
    meta_app_secret: str = _secret("sim-meta-app-secret")
    meta_verify_token: str = _secret("sim-meta-verify-token")
    meta_base_url: str = ""
    meta_api_version: str = "v21.0"
    meta_phone_number_id: str = "100200300400500"
    meta_access_token: str = _secret("sim-meta-access-token")
    campay_webhook_key: str = _secret("sim-campay-webhook-key-for-the-simulator")
    stripe_webhook_secret: str = _secret("whsec_simstripesecret")
    jwt_secret: str = _secret("sim-jwt-secret-set-a-long-random-one-in-production")
    at_allowed_networks: str = ""
    at_username: str = ""
    at_api_key: str = _secret()
    at_base_url: str = ""
    at_sender_id: str = ""
    payment_window: int = 300
    api_requests_per_15_min: int = 100  # per client; load tests raise it
    sms_per_number_per_10_min: int = 20  # inbound texts answered per number; then one warning, then silence
    ussd_hops_per_number_per_min: int = 60  # a person presses a key every few seconds at most
    payment_retry_window: int = 900  # seconds a customer has to try a declined payment again or pay cash
    outbox_concurrency: int = 4  # messages a worker has at the gateway at once: the duplicate window on a crash
    outbox_lease: float = 60.0  # seconds before a dead worker's outbox claims are taken again; above the senders' 10 s
    request_timeout: float = 30.0  # seconds a client has to send its whole request
    spool_path: str = str(ROOT / "var" / "inbound-spool.jsonl")  # inbound messages kept while the database is down
    dispatch_on: str = "accept"  # or "ready": when a delivery job is offered to drivers
    driver_cash_cap: int = 50_000
    provider_timeout: float = 10.0
    mtn_base_url: str = ""
    mtn_api_user: str = "sim-api-user"
    mtn_api_key: str = _secret("sim-api-key")
    mtn_collection_key: str = _secret("sim-collection-key")
    mtn_disbursement_key: str = _secret("sim-disbursement-key")
    mtn_target_environment: str = "sandbox"
    campay_base_url: str = ""
    campay_username: str = "sim-campay"
    campay_password: str = _secret("sim-campay-password")
    stripe_base_url: str = ""
    stripe_api_key: str = _secret("sk_test_simchopbar")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Each field from CHOPBAR_<FIELD NAME>, read as the field's type; unset keeps the default."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"CHOPBAR_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _typed(f.name, raw, type(f.default))
        return cls(**values)

    @property
    def uses_simulators(self) -> bool:
        """No real gateway or provider configured: the bundled simulators stand in for them."""
        return not self.real_providers()

    def real_providers(self) -> list[str]:
        """The settings that make this a production deployment (a real gateway or provider)."""
        return [name for name in REAL_PROVIDERS if getattr(self, name)]

    def unsafe_secrets(self) -> list[str]:
        """Secret settings that are empty or hold a development value (any secret's default: those
        are published with the simulators), and a JWT secret too short to resist guessing."""
        secrets = [f for f in fields(self) if f.metadata.get(SECRET)]
        development = {f.default for f in secrets} - {""}
        unsafe = []
        for f in secrets:
            value = getattr(self, f.name).strip()
            if not value or value in development or (f.name == "jwt_secret" and len(value) < MIN_JWT_SECRET):
                unsafe.append(f.name)
        return unsafe

    def refusal(self) -> str | None:
        """Why `serve` and `worker` must not start: in production, a secret missing or still at its
        development value would let anyone forge tokens and webhooks. None when they may start."""
        unsafe = [] if self.uses_simulators else self.unsafe_secrets()
        if not unsafe:
            return None
        configured = ", ".join(f"CHOPBAR_{name.upper()}" for name in self.real_providers())
        lines = [
            f"Chopbar will not start: real gateways or providers are configured ({configured}), and these "
            "secrets are missing or still have their development values. Set each of them:",
            *(f"  CHOPBAR_{name.upper()}: {SECRET_HINTS.get(name, 'a long random string')}" for name in unsafe),
            "A provider this deployment does not use still needs a value: any long random string, so that "
            "its webhook accepts nothing.",
            'A random string: python3 -c "import secrets; print(secrets.token_urlsafe(48))"',
        ]
        return "\n".join(lines)

    @property
    def self_url(self) -> str:
        """Where this service is reached: the public URL, or this machine's port."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return (self.public_url or f"http://{host}:{self.port}").rstrip("/")

    def provider_url(self, configured: str, simulator: str) -> str:
        return configured or f"{self.self_url}/sim/{simulator}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1]
        return None if path in ("", ":memory:") else Path(path)

    def secret_values(self) -> list[str]:
        """Values that must never reach a log: secret settings and URL passwords."""
        values = [getattr(self, f.name) for f in fields(self) if f.metadata.get(SECRET)]
        for url in (self.database_url, self.redis_url):
            if "@" in url and ":" in url.split("://", 1)[-1].split("@", 1)[0]:
                values.append(url.split("://", 1)[-1].split("@", 1)[0].split(":", 1)[1])
        return [v for v in values if v]

    def redacted(self) -> dict[str, str]:
        """The settings as they may be shown or logged: secrets and passwords hidden."""
        shown = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata.get(SECRET):
                value = "***" if value else ""
            elif f.name.endswith("_url") and "@" in str(value):
                scheme, rest = str(value).split("://", 1)
                creds, host = rest.rsplit("@", 1)
                value = f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else value
            shown[f.name] = str(value)
        return shown
