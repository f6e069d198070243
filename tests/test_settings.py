"""Settings come from CHOPBAR_* variables, typed, never show their secrets, and production refuses
development ones."""
import secrets

import pytest
from hypothesis import given, strategies as st

from chopbar.settings import REAL_PROVIDERS, Settings


def test_unset_variables_keep_the_documented_defaults():
    s = Settings.from_env({})
    assert (s.port, s.accept_timeout, s.ussd_max_chars, s.default_language, s.timezone) == (8080, 300, 160, "fr", "Africa/Douala")
    assert s.database_url.startswith("sqlite+aiosqlite:///") and s.redis_url == "" and s.uses_simulators


def test_variables_are_read_as_their_type():
    s = Settings.from_env({"CHOPBAR_PORT": "9000", "CHOPBAR_SEED_DEMO": "no", "CHOPBAR_PROVIDER_TIMEOUT": "2.5"})
    assert (s.port, s.seed_demo, s.provider_timeout) == (9000, False, 2.5)


def test_a_bad_number_stops_with_a_clear_message():
    with pytest.raises(SystemExit, match="CHOPBAR_PORT must be a number"):
        Settings.from_env({"CHOPBAR_PORT": "eighty"})


def test_secrets_and_url_passwords_are_hidden():
    s = Settings.from_env({"CHOPBAR_DATABASE_URL": "postgresql+asyncpg://app:hunter22@db/chopbar", "CHOPBAR_MTN_API_KEY": "k3y-value"})
    shown = s.redacted()
    assert "hunter22" not in str(shown) and "k3y-value" not in str(shown)
    assert "hunter22" in s.secret_values() and "k3y-value" in s.secret_values()


def test_a_real_provider_unmounts_the_simulators():
    assert not Settings.from_env({"CHOPBAR_AT_API_KEY": "live"}).uses_simulators


SECRETS = Settings().secret_names()
PRODUCTION = {"CHOPBAR_AT_BASE_URL": "https://api.africastalking.com"}


def good_secrets() -> dict[str, str]:
    good = {f"CHOPBAR_{name.upper()}": secrets.token_urlsafe(32) for name in SECRETS}
    return good | {"CHOPBAR_DATA_KEYS": f"k1:{secrets.token_urlsafe(32)}"}  # a data key is id:base64 of 32 bytes


def test_the_embedded_default_starts_on_its_development_secrets():
    assert Settings.from_env({}).refusal() is None


def test_production_with_the_defaults_refuses_naming_every_secret_and_what_to_set():
    refusal = Settings.from_env(PRODUCTION).refusal()
    assert "CHOPBAR_AT_BASE_URL" in refusal  # why this counts as production
    for name in SECRETS:
        assert f"CHOPBAR_{name.upper()}: " in refusal
    assert "at least 32 characters" in refusal and "does not use still needs a value" in refusal


def test_production_with_every_secret_set_may_start():
    assert Settings.from_env({**PRODUCTION, **good_secrets()}).refusal() is None


@pytest.mark.parametrize("value", ["", "   ", "x" * 31, "sim-jwt-secret-set-a-long-random-one-in-production",
                                   "sim-twilio-auth-token"])
def test_a_jwt_secret_empty_short_or_published_is_refused(value):
    refusal = Settings.from_env({**PRODUCTION, **good_secrets(), "CHOPBAR_JWT_SECRET": value}).refusal()
    assert refusal is not None and "CHOPBAR_JWT_SECRET" in refusal


def test_a_32_character_jwt_secret_is_enough():
    assert Settings.from_env({**PRODUCTION, **good_secrets(), "CHOPBAR_JWT_SECRET": "k" * 32}).refusal() is None


def test_one_secret_set_to_another_ones_development_value_is_refused():
    env = {**PRODUCTION, **good_secrets(), "CHOPBAR_STRIPE_API_KEY": "sim-campay-password"}
    refusal = Settings.from_env(env).refusal()
    assert "CHOPBAR_STRIPE_API_KEY" in refusal and "CHOPBAR_CAMPAY_PASSWORD" not in refusal


@given(left=st.sets(st.sampled_from(SECRETS), min_size=1),
       via=st.sampled_from([name for name in REAL_PROVIDERS if name.endswith("_url")]))
def test_exactly_the_secrets_left_at_their_default_are_named(left, via):
    env = {f"CHOPBAR_{via.upper()}": "https://provider.example", **good_secrets()}
    for name in left:
        del env[f"CHOPBAR_{name.upper()}"]
    settings = Settings.from_env(env)
    named = {line.split(":", 1)[0].strip() for line in settings.refusal().splitlines() if line.startswith("  CHOPBAR_")}
    assert named == {f"CHOPBAR_{name.upper()}" for name in left}
    assert settings.unsafe_secrets() == [name for name in SECRETS if name in left]


def test_the_refusal_never_shows_a_secret_value():
    env = {**PRODUCTION, **good_secrets(), "CHOPBAR_JWT_SECRET": "short-but-secret"}
    assert "short-but-secret" not in Settings.from_env(env).refusal()


def test_each_provider_reads_its_own_variables_into_its_own_settings():
    s = Settings.from_env({"CHOPBAR_MTN_API_KEY": "k3y-value", "CHOPBAR_AT_ALLOWED_NETWORKS": "10.0.0.0/8",
                           "CHOPBAR_TWILIO_NUMBER": "+237690000001", "CHOPBAR_STRIPE_BASE_URL": "https://stripe.example"})
    assert s.mtn.api_key.get_secret_value() == "k3y-value" and s.mtn.api_user == "sim-api-user"
    assert (s.africastalking.allowed_networks, s.twilio.number, s.stripe.base_url) == (
        "10.0.0.0/8", "+237690000001", "https://stripe.example")
    assert s.real_providers() == ["stripe_base_url"]


def test_a_secret_never_shows_in_the_settings_repr():
    s = Settings.from_env({"CHOPBAR_CAMPAY_PASSWORD": "pa55-word", "CHOPBAR_JWT_SECRET": "j" * 40})
    assert "pa55-word" not in repr(s) and "j" * 40 not in repr(s) and "pa55-word" not in str(s.campay)


def test_settings_are_built_from_what_they_are_given_and_not_from_the_environment(monkeypatch):
    monkeypatch.setenv("CHOPBAR_PORT", "9999")
    monkeypatch.setenv("CHOPBAR_MTN_API_USER", "from-the-environment")
    given = Settings(port=8081)
    assert (given.port, given.mtn.api_user) == (8081, "sim-api-user")
    assert (Settings.from_env().port, Settings.from_env().mtn.api_user) == (9999, "from-the-environment")



def test_production_refuses_the_development_data_keys_even_beside_a_real_one():
    import base64
    import os

    from chopbar.settings import Settings

    real = {"CHOPBAR_AFRICASTALKING_API_KEY": "real-key"}
    assert "data_keys" in Settings.from_env(real).unsafe_secrets()
    assert "data_index_key" in Settings.from_env(real).unsafe_secrets()
    dev = Settings().data_keys.get_secret_value()
    mixed = {**real, "CHOPBAR_DATA_KEYS": f"k1:{base64.b64encode(os.urandom(32)).decode()},{dev}",
             "CHOPBAR_DATA_INDEX_KEY": "x" * 48}
    unsafe = Settings.from_env(mixed).unsafe_secrets()
    assert "data_keys" in unsafe and "data_index_key" not in unsafe


def test_data_keys_that_do_not_read_stop_the_start_without_echoing_them():
    with pytest.raises(SystemExit) as stopped:
        Settings.from_env({"CHOPBAR_DATA_KEYS": "k1:c2hvcnQ="})
    assert "CHOPBAR_DATA_KEYS" in str(stopped.value) and "32" in str(stopped.value) and "c2hvcnQ" not in str(stopped.value)
