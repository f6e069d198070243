"""`chopbar export` and `chopbar reconcile` as an operator runs them."""
import os
import subprocess

from tests.test_cli import command


def run(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHOPBAR_DATABASE_URL": database_url, "CHOPBAR_LOG_LEVEL": "WARNING"}
    return subprocess.run([*command(), *args], env=env, capture_output=True, text=True, timeout=60)


def test_export_writes_the_days_two_files_or_prints_one(database_url, tmp_path):
    done = run(database_url, "export", "--day", "2026-11-24", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movements-2026-11-24.csv", "orders-2026-11-24.csv"]
    assert (tmp_path / "orders-2026-11-24.csv").read_text().startswith("code,created_at,status,")
    printed = run(database_url, "export", "--day", "2026-11-24", "--stdout", "movements")
    assert printed.stdout.startswith("txn,created_at,kind,ledger_account,amount_xaf,")


def test_a_bad_day_is_refused_clearly(database_url):
    done = run(database_url, "reconcile", "--day", "24/11/2026")
    assert done.returncode != 0 and "--day is YYYY-MM-DD" in done.stderr
