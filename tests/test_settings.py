"""Settings come from CHOPBAR_* variables, typed, and never show their secrets."""
import pytest

from chopbar.settings import Settings


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
