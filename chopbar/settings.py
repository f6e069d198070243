"""Every setting of the service, read from CHOPBAR_* environment variables and nowhere else: the
service's own here, each provider's in its package (channels/providers/<name>/settings.py), one
attribute per provider (`settings.mtn.api_key`). Secrets are `SecretStr`: never logged, never shown.

A setting's name, in messages and in `chopbar settings`, is its variable's without `CHOPBAR_`:
`mtn_api_key` is CHOPBAR_MTN_API_KEY.
"""
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import Field, SecretStr, create_model, field_validator
from pydantic_settings import SettingsConfigDict

from channels import forwarded
from channels.providers.settings import EnvironSettings, Flag, UnreadableSetting, secret
from chopbar.providers import PROVIDERS
from core.lockout import LockRules
from core.loyalty import LoyaltyRules, Tier
from core.payouts import PayoutRules
from core.retention import Periods
from core.sealing import INDEX_KEY_MIN, Keyring
from core.use_cases.operations import AlertRules

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = ROOT / "var" / "chopbar.sqlite3"
MIN_JWT_SECRET = 32  # characters: it signs every access token, and a short one can be guessed offline
PREFIX = "CHOPBAR_"
# Settings that point the service at a real gateway or provider: any of them set is production.
REAL_PROVIDERS = tuple(
    p.settings.variable(name).removeprefix(PREFIX).lower() for p in PROVIDERS for name in p.settings.real_when
)


class ServiceSettings(EnvironSettings):
    """The service's own settings; `Settings` adds one attribute per provider."""

    model_config = SettingsConfigDict(env_prefix=PREFIX)

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
    seed_demo: Flag = True
    run_worker: Flag = True
    log_level: str = "INFO"
    ussd_code: str = "*384*2468#"
    sim_momo: str = "manual"
    sms_provider: str = "africastalking"  # or "twilio"
    jwt_secret: SecretStr = secret(
        "sim-jwt-secret-set-a-long-random-one-in-production",
        f"a long random string, at least {MIN_JWT_SECRET} characters (it signs access tokens)",
    )
    # Personal data at rest (core.sealing): AES-256-GCM keys as id:base64-of-32-bytes, the current
    # one first (it seals new values; the others still read old ones until `chopbar rekey`), and
    # the key of the blind index that phone lookups compare. Generate: `chopbar keys`.
    data_keys: SecretStr = secret(
        "dev1:c2ltLWRhdGEta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=",
        "id:base64 of 32 random bytes, e.g. k1:... (see `chopbar keys`); current first, comma-separated",
    )
    data_index_key: SecretStr = secret(
        "sim-blind-index-key-set-a-long-random-one-in-production",
        f"a long random string, at least {INDEX_KEY_MIN} characters; never changed once numbers are indexed",
    )

    @field_validator("data_keys")
    @classmethod
    def _readable_keys(cls, value: SecretStr) -> SecretStr:
        Keyring.parse(value.get_secret_value(), "x" * INDEX_KEY_MIN)  # ValueError says which key does not read
        return value

    def keyring(self) -> Keyring:
        """The keys of personal data, as core.sealing.install takes them."""
        return Keyring.parse(self.data_keys.get_secret_value(), self.data_index_key.get_secret_value())

    payment_window: int = 300
    api_requests_per_15_min: int = 100  # per client; load tests raise it
    sms_per_number_per_10_min: int = 20  # inbound texts answered per number; then one warning, then silence
    ussd_hops_per_number_per_min: int = 60  # a person presses a key every few seconds at most
    payment_retry_window: int = 900  # seconds a customer has to try a declined payment again or pay cash
    rating_window: int = 48 * 3600  # seconds after a delivery or a pickup in which its customer may rate it
    trusted_proxies: str = ""  # comma-separated CIDR of the balancers in front: their X-Forwarded-For names the caller

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        try:
            forwarded.networks(value)
        except ValueError:
            raise ValueError(f"comma-separated networks, e.g. 172.30.0.10/32,10.0.0.0/8, not {value!r}") from None
        return value
    worker_metrics_port: int = Field(9101, ge=0, le=65535)  # `chopbar worker`'s /metrics and /healthz; 0: none
    outbox_concurrency: int = 4  # messages a worker has at the gateway at once: the duplicate window on a crash
    outbox_lease: float = 60.0  # seconds before a dead worker's outbox claims are taken again; above the senders' 10 s
    request_timeout: float = 30.0  # seconds a client has to send its whole request
    spool_path: str = str(ROOT / "var" / "inbound-spool.jsonl")  # inbound messages kept while the database is down
    dispatch_on: str = "accept"  # or "ready": when a delivery job is offered to drivers
    driver_cash_cap: int = 50_000
    provider_timeout: float = 10.0
    catalog_check_interval: float = 2.0  # seconds between a web process's reads of the catalog's version
    console_secure_cookie: Flag | None = None  # the console's cookie only over https; unset: when public_url is https
    cors_origins: str = ""  # comma-separated origins whose browser scripts may call /api/v1; empty: none may

    @field_validator("catalog_check_interval")
    @classmethod
    def _positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError("must be above 0 seconds")
        return value
    payout_time: str = "07:00"  # local time of day the daily payout runs
    payout_minimum_xaf: int = 1_000  # less than this owed waits for the next payout
    payout_approval_above_xaf: int = 200_000  # a payout above this waits for an admin's approval
    payout_attempts: int = 5  # transfers asked of the provider before a payout is given up

    @field_validator("payout_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60 and len(minutes) == 2):
            raise ValueError(f"a time of day HH:MM, not {value!r}")
        return f"{int(hours):02d}:{minutes}"

    def payout_rules(self) -> PayoutRules:
        return PayoutRules(approval_above_xaf=self.payout_approval_above_xaf, minimum_xaf=self.payout_minimum_xaf,
                           max_attempts=self.payout_attempts)

    alert_unaccepted_after: int = Field(120, ge=0)  # seconds an order waits for its restaurant before operations see it
    alert_no_driver_after: int = Field(300, ge=0)  # seconds a delivery job waits for a driver before operations see it

    signin_max_failures: int = Field(10, ge=1)  # wrong codes (SMS, TOTP, recovery) that lock an account...
    signin_failure_window: int = Field(900, ge=1)  # ...when they come within this many seconds
    signin_lock_seconds: int = Field(900, ge=1)  # how long every code of a locked account is refused

    def lock_rules(self) -> LockRules:
        return LockRules(max_failures=self.signin_max_failures, window_s=self.signin_failure_window,
                         lock_s=self.signin_lock_seconds)

    def alert_rules(self) -> AlertRules:
        return AlertRules(unaccepted_after_s=self.alert_unaccepted_after, no_driver_after_s=self.alert_no_driver_after)

    loyalty_xaf_per_point: int = Field(100, ge=1)  # XAF paid to earn one point at the first tier
    loyalty_point_value_xaf: int = Field(5, ge=1)  # XAF one point takes off the food
    loyalty_min_spend: int = Field(100, ge=1)  # the fewest points spent on one order
    loyalty_window_days: int = Field(90, ge=1)  # a tier counts the points earned over this many days
    # name_en/name_fr:points over the window:earning percent, lowest first, the first at 0 points
    loyalty_tiers: str = "Bronze/Bronze:0:100,Silver/Argent:300:125,Gold/Or:1000:150"
    loyalty_referral_points: int = Field(200, ge=0)  # to each of the two on an invited friend's first paid order

    @field_validator("loyalty_tiers")
    @classmethod
    def _tiers(cls, value: str) -> str:
        tiers = _read_tiers(value)
        if tiers[0].threshold != 0:
            raise ValueError("the first tier starts at 0 points")
        if [t.threshold for t in tiers] != sorted({t.threshold for t in tiers}):
            raise ValueError("tiers go from the fewest points to the most, each threshold once")
        return value

    def loyalty_rules(self) -> LoyaltyRules:
        return LoyaltyRules(
            xaf_per_point=self.loyalty_xaf_per_point, point_value_xaf=self.loyalty_point_value_xaf,
            min_spend=self.loyalty_min_spend, window_days=self.loyalty_window_days, tiers=_read_tiers(self.loyalty_tiers),
            referral_points=self.loyalty_referral_points,
        )

    # Personal data (core.use_cases.personal_data, core.retention): every period in seconds, as
    # the other durations here are.
    export_link_ttl: int = Field(86_400, ge=60)  # seconds a MYDATA download link works (once)
    retention_codes: int = Field(7 * 86_400, ge=0)  # seconds sign-in codes are kept
    retention_message_bodies: int = Field(90 * 86_400, ge=0)  # seconds before sent and received texts are blanked
    retention_sessions: int = Field(30 * 86_400, ge=0)  # seconds the USSD funnel's daily counts are kept
    retention_logs: int = Field(365 * 86_400, ge=0)  # seconds audit rows of sign-ins and webhooks are kept (money's forever)
    retention_every: float = Field(3600.0, gt=0)  # seconds between the worker's purges

    def retention_periods(self) -> Periods:
        return Periods(codes_s=self.retention_codes, message_bodies_s=self.retention_message_bodies,
                       sessions_s=self.retention_sessions, logs_s=self.retention_logs)

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Each setting from its CHOPBAR_ variable, read as the setting's type; unset keeps the default."""
        environ = os.environ if environ is None else environ
        try:
            providers = {p.name: p.settings.from_environ(environ) for p in PROVIDERS}
            return cls.built({**ServiceSettings.variables(environ), **providers}, environ)
        except UnreadableSetting as exc:
            raise SystemExit(str(exc)) from None

    def each(self) -> Iterator[tuple[str, object, object]]:
        """(name, value, default) of every setting: the service's own, then each provider's."""
        for name, field in ServiceSettings.model_fields.items():
            yield name, getattr(self, name), field.default
        for p in PROVIDERS:
            sub = getattr(self, p.name)
            for name, field in type(sub).model_fields.items():
                yield type(sub).variable(name).removeprefix(PREFIX).lower(), getattr(sub, name), field.default

    def _secrets(self) -> list[tuple[str, str, str]]:
        return [(name, value.get_secret_value(), default.get_secret_value())
                for name, value, default in self.each() if isinstance(default, SecretStr)]

    def secret_names(self) -> list[str]:
        return [name for name, _, _ in self._secrets()]

    @property
    def uses_simulators(self) -> bool:
        """No real gateway or provider configured: the bundled simulators stand in for them."""
        return not self.real_providers()

    def real_providers(self) -> list[str]:
        """The settings that make this a production deployment (a real gateway or provider)."""
        values = {name: value for name, value, _ in self.each()}
        return [name for name in REAL_PROVIDERS if _plain(values[name])]

    def unsafe_secrets(self) -> list[str]:
        """Secret settings that are empty or hold a development value (any secret's default: those
        are published with the simulators), and a JWT secret too short to resist guessing."""
        secrets = self._secrets()
        development = {default for _, _, default in secrets} - {""}
        unsafe = []
        for name, value, _ in secrets:
            value = value.strip()
            if (not value or value in development or (name == "jwt_secret" and len(value) < MIN_JWT_SECRET)
                    or (name == "data_index_key" and len(value) < INDEX_KEY_MIN)
                    or (name == "data_keys" and any(part.strip() in development for part in value.split(",")))):
                unsafe.append(name)
        return unsafe

    def refusal(self) -> str | None:
        """Why `serve` and `worker` must not start: in production, a secret missing or still at its
        development value would let anyone forge tokens and webhooks. None when they may start."""
        unsafe = [] if self.uses_simulators else self.unsafe_secrets()
        if not unsafe:
            return None
        hints = self._hints()
        configured = ", ".join(f"{PREFIX}{name.upper()}" for name in self.real_providers())
        lines = [
            f"Chopbar will not start: real gateways or providers are configured ({configured}), and these "
            "secrets are missing or still have their development values. Set each of them:",
            *(f"  {PREFIX}{name.upper()}: {hints.get(name) or 'a long random string'}" for name in unsafe),
            "A provider this deployment does not use still needs a value: any long random string, so that "
            "its webhook accepts nothing.",
            'A random string: python3 -c "import secrets; print(secrets.token_urlsafe(48))"',
        ]
        return "\n".join(lines)

    def _hints(self) -> dict[str, str | None]:
        hints = {name: field.description for name, field in ServiceSettings.model_fields.items()}
        for p in PROVIDERS:
            hints |= {p.settings.variable(name).removeprefix(PREFIX).lower(): field.description
                      for name, field in p.settings.model_fields.items()}
        return hints

    @property
    def self_url(self) -> str:
        """Where this service is reached: the public URL, or this machine's port."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return (self.public_url or f"http://{host}:{self.port}").rstrip("/")

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
        values = [value for _, value, _ in self._secrets()]
        for url in (self.database_url, self.redis_url):
            if "@" in url and ":" in url.split("://", 1)[-1].split("@", 1)[0]:
                values.append(url.split("://", 1)[-1].split("@", 1)[0].split(":", 1)[1])
        return [v for v in values if v]

    def redacted(self) -> dict[str, str]:
        """The settings as they may be shown or logged: secrets and passwords hidden."""
        shown = {}
        for name, value, _ in self.each():
            if isinstance(value, SecretStr):
                value = "***" if value.get_secret_value() else ""
            elif name.endswith("_url") and "@" in str(value):
                scheme, rest = str(value).split("://", 1)
                creds, host = rest.rsplit("@", 1)
                value = f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else value
            shown[name] = str(value)
        return shown


def _read_tiers(value: str) -> tuple[Tier, ...]:
    """`Bronze/Bronze:0:100,Silver/Argent:300:125` as tiers; ValueError naming what does not read."""
    tiers = []
    for part in value.split(","):
        fields = part.strip().split(":")
        names = fields[0].split("/") if fields else []
        if len(fields) != 3 or not names[0].strip() or not all(f.strip().isdigit() for f in fields[1:]):
            raise ValueError(f"a tier is name/nom:points:percent, e.g. Silver/Argent:300:125, not {part.strip()!r}")
        name_en = names[0].strip()
        name_fr = names[1].strip() if len(names) > 1 and names[1].strip() else name_en
        tiers.append(Tier(name_en, name_fr, int(fields[1]), int(fields[2])))
    return tuple(tiers)


def _plain(value: object) -> str:
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


Settings = create_model(
    "Settings", __base__=ServiceSettings, __module__=__name__,
    **{p.name: (p.settings, Field(default_factory=p.settings)) for p in PROVIDERS},
)
Settings.__doc__ = "Every setting: the service's own, and one attribute per provider (`settings.mtn`)."
