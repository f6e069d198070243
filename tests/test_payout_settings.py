"""The payout settings: their defaults, and a time of day that does not read stops the start."""
import pytest

from chopbar.settings import Settings


def test_payout_settings_default_to_the_documented_values():
    rules = Settings.from_env({}).payout_rules()
    assert (rules.approval_above_xaf, rules.minimum_xaf, rules.max_attempts) == (200_000, 1_000, 5)
    assert Settings.from_env({}).payout_time == "07:00"


@pytest.mark.parametrize("raw", ["25:00", "7h", "07:6", "noon"])
def test_a_payout_time_that_is_not_a_time_of_day_stops_the_start(raw):
    with pytest.raises(SystemExit, match="CHOPBAR_PAYOUT_TIME"):
        Settings.from_env({"CHOPBAR_PAYOUT_TIME": raw})


def test_a_payout_time_is_read_as_hours_and_minutes():
    settings = Settings.from_env({"CHOPBAR_PAYOUT_TIME": "6:30", "CHOPBAR_PAYOUT_APPROVAL_ABOVE_XAF": "50000"})
    assert settings.payout_time == "06:30" and settings.payout_rules().approval_above_xaf == 50_000
