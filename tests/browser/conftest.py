"""Browser tests: the real service started as a process on a free port, driven by Playwright in
Debian's Chromium (/usr/bin/chromium, which .ci/run installs; Playwright's own browser download is
not used), with axe-core (vendored under vendor/) checking each page's accessibility."""
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from aiohttp import ClientSession
from playwright.async_api import async_playwright

from tests import redis_keys
from tests.conftest import free_port
from tests.test_cli import STARTUP_S, command

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
# Where the tests save their screenshots: a scratch folder, or the README's pictures when
# CHOPBAR_SCREENSHOTS=docs/screenshots asks for them to be taken again.
SCREENSHOTS = Path(os.environ.get("CHOPBAR_SCREENSHOTS") or Path(tempfile.gettempdir()) / "chopbar-screenshots")
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
# Rules every page must pass whatever axe rates them; anything serious or critical fails too.
ALWAYS = {"label", "color-contrast", "button-name", "link-name", "html-has-lang", "document-title", "select-name"}


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


@pytest.fixture
def service(database_url, tmp_path):
    """`chopbar serve` on the test's seeded database, with its worker (SMS really leave through the
    simulated gateway), on a port of its own; its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHOPBAR_")}
    env.update(CHOPBAR_DATABASE_URL=database_url, CHOPBAR_HOST="127.0.0.1", CHOPBAR_PORT=str(port),
               CHOPBAR_SEED_DEMO="0", CHOPBAR_RUN_WORKER="1", CHOPBAR_SPOOL_PATH=str(tmp_path / "spool.jsonl"))
    if os.environ.get("CHOPBAR_REDIS_URL"):
        env.update(CHOPBAR_REDIS_URL=os.environ["CHOPBAR_REDIS_URL"], CHOPBAR_REDIS_PREFIX=redis_keys.prefix("browser-"))
    logs = (tmp_path / "serve.log").open("w+")  # a file, not a pipe: a full pipe would block the service
    process = subprocess.Popen([*command(), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=logs)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_S
    while process.poll() is None and time.monotonic() < deadline and not _up(f"{base}/healthz"):
        time.sleep(0.2)
    try:
        assert process.poll() is None and _up(f"{base}/healthz"), (tmp_path / "serve.log").read_text()
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        logs.close()


@pytest.fixture
async def http(service):
    """The service as gateways and phones meet it (USSD, /sim/messages): relative paths."""
    async with ClientSession(base_url=service) as session:
        yield session


@pytest.fixture
async def browser():
    assert Path(CHROMIUM).exists(), "the browser tests need Debian's chromium: apt-get install -y chromium"
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


async def accessibility_problems(page) -> list[str]:
    """axe-core's violations on the page as it stands: serious or critical ones, and any of ALWAYS
    (form labels, colour contrast...). The page's context must bypass CSP to take the script."""
    await page.add_script_tag(path=str(AXE))
    violations = await page.evaluate("async () => (await axe.run(document)).violations.map("
                                     "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in violations
            if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS]
