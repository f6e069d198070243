"""The `chopbar` command as an operator runs it: production refuses development secrets."""
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jwt

from chopbar.settings import Settings
from tests.conftest import free_port

SECRETS = Settings().secret_names()
STARTUP_S = 60  # migrations and imports on a busy machine; the test stops waiting there


def command() -> list[str]:
    """The installed `chopbar` script beside this interpreter, as `./run` starts it."""
    script = Path(sys.executable).with_name("chopbar")
    return [str(script)] if script.exists() else [sys.executable, "-m", "chopbar.cli"]


def production_env(database_url: str, port: int, **more: str) -> dict[str, str]:
    """This machine's environment without any CHOPBAR_ setting, then a real provider configured
    (it is never called: the test stops the service first) and the test's own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOPBAR_")}
    env.update(
        CHOPBAR_AT_BASE_URL="http://127.0.0.1:9", CHOPBAR_DATABASE_URL=database_url, CHOPBAR_HOST="127.0.0.1",
        CHOPBAR_PORT=str(port), CHOPBAR_RUN_WORKER="0", CHOPBAR_SEED_DEMO="0",
    )
    if os.environ.get("CHOPBAR_REDIS_URL"):
        env.update(CHOPBAR_REDIS_URL=os.environ["CHOPBAR_REDIS_URL"], CHOPBAR_REDIS_PREFIX=f"chopbar-cli-{uuid.uuid4().hex[:8]}:")
    env.update(more)
    return env


def get(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_and_worker_refuse_the_development_secrets_in_production(database_url):
    for name in ("serve", "worker"):
        done = subprocess.run([*command(), name], env=production_env(database_url, free_port()), capture_output=True,
                              text=True, timeout=STARTUP_S)
        assert done.returncode != 0, done.stderr
        assert done.stderr.startswith("Chopbar will not start"), done.stderr
        for secret in SECRETS:
            assert f"CHOPBAR_{secret.upper()}" in done.stderr


def test_serve_with_every_secret_set_starts_without_simulators_and_refuses_a_development_token(database_url, tmp_path):
    port = free_port()
    chosen = {f"CHOPBAR_{name.upper()}": secrets.token_urlsafe(32) for name in SECRETS}
    logs = (tmp_path / "serve.log").open("w+")  # a file, not a pipe: a full pipe would block the service
    service = subprocess.Popen([*command(), "serve"], env=production_env(database_url, port, **chosen),
                               stdout=subprocess.DEVNULL, stderr=logs)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_S
        while service.poll() is None and time.monotonic() < deadline:
            try:
                if get(f"{base}/healthz") == 200:
                    break
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        assert service.poll() is None, (tmp_path / "serve.log").read_text()
        assert get(f"{base}/healthz") == 200
        assert get(f"{base}/sim/actors") == 404  # production: the simulators are not mounted
        forged = jwt.encode({"sub": "1", "phone": "+237677000099", "roles": ["admin"], "exp": int(time.time()) + 600,
                             "jti": "x"}, Settings().jwt_secret.get_secret_value(), algorithm="HS256")
        assert get(f"{base}/api/v1/admin/audit", headers={"Authorization": f"Bearer {forged}"}) == 401
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(timeout=20)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()
        logs.close()
