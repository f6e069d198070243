"""`chopbar totp <phone>`: the demo support and admin accounts' current second-factor code, on
simulators only."""
import time

import pytest

from chopbar.cli import main
from chopbar.demo_data import DEMO_TOTP_SECRET, PEOPLE
from core.second_factor import code_at

ADMIN = next(p.phone for p in PEOPLE if p.role == "admin")


def test_it_prints_the_demo_admins_code_on_simulators(capsys, monkeypatch):
    monkeypatch.delenv("CHOPBAR_AT_API_KEY", raising=False)
    monkeypatch.delenv("CHOPBAR_AT_BASE_URL", raising=False)
    main(["totp", ADMIN])
    now = time.time()
    assert capsys.readouterr().out.strip() in {code_at(DEMO_TOTP_SECRET, now + d) for d in (-30, 0)}


def test_it_refuses_a_number_that_is_not_a_demo_operator(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["totp", next(p.phone for p in PEOPLE if p.role == "customer")])
    assert "not a demo support or admin account" in str(refused.value)


def test_it_refuses_when_real_providers_are_set(monkeypatch):
    monkeypatch.setenv("CHOPBAR_AT_API_KEY", "a-real-key")
    with pytest.raises(SystemExit) as refused:
        main(["totp", ADMIN])
    assert "real providers" in str(refused.value)
