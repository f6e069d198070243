"""The OpenAPI document: every API route in it, a readable page of it, and schemathesis fuzzing a
running service against it (no 5xx, no answer outside its schema), signed in as an admin, a restaurant owner and a driver."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from channels.api import routes  # noqa: F401 - the endpoints declare themselves on import
from channels.api.openapi import document
from tests import redis_keys
from tests import demo
from tests.conftest import free_port

ADMIN, OWNER = "+237677000099", demo.ALL_DAY_YAOUNDE.phone
DRIVER = next(p.phone for p in demo.demo_data.PEOPLE if p.role == "driver")
UNDOCUMENTED = {"/api/v1/openapi.json", "/api/v1/docs"}


async def test_every_api_route_is_in_the_document(chopbar):
    spec = await (await chopbar.get("/api/v1/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    documented = {("/api/v1" + path, method.upper()) for path, methods in spec["paths"].items() for method in methods}
    served = {
        (route.resource.canonical, route.method)
        for route in chopbar.app.router.routes()
        if route.resource.canonical.startswith("/api/") and route.method != "HEAD" and route.resource.canonical not in UNDOCUMENTED
    }
    assert served == documented
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation["summary"] and operation["responses"], (method, path)
            if "{" in path or method in ("post", "put", "patch"):
                assert "400" in operation["responses"] or "404" in operation["responses"]


async def test_the_docs_page_lists_every_operation(chopbar):
    page = await (await chopbar.get("/api/v1/docs")).text()
    spec = await (await chopbar.get("/api/v1/openapi.json")).json()
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page.replace("&#x27;", "'")
    assert "OrderOut" in page


async def test_a_bad_body_is_a_400_naming_the_field(chopbar):
    wrong = await chopbar.post("/api/v1/auth/otp", json={"phone": 677})
    assert wrong.status == 400 and (await wrong.json())["error"]["message"].startswith("phone:")
    not_json = await chopbar.post("/api/v1/auth/otp", data=b"{nope")
    assert not_json.status == 400 and (await not_json.json())["error"] == {"code": "bad_input", "message": "the body is not JSON"}


def _serve(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ, "CHOPBAR_DATABASE_URL": database_url, "CHOPBAR_PORT": str(port), "CHOPBAR_HOST": "127.0.0.1",
        "CHOPBAR_REDIS_PREFIX": redis_keys.prefix("openapi-"), "CHOPBAR_API_REQUESTS_PER_15_MIN": "1000000",
        "CHOPBAR_LOG_LEVEL": "warning",
    }
    service = subprocess.Popen([sys.executable, "-m", "chopbar.cli", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return service
        except httpx.TransportError:
            time.sleep(0.2)
    service.kill()
    raise AssertionError(service.stderr.read().decode()[-2000:])


def _token(base: str, phone: str) -> str:
    assert httpx.post(f"{base}/api/v1/auth/otp", json={"phone": phone}).status_code == 202
    sent = httpx.get(f"{base}/sim/messages", params={"to": phone}).json()[-1]["text"]
    code = re.search(r"\b(\d{6})\b", sent).group(1)
    return httpx.post(f"{base}/api/v1/auth/token", json={"phone": phone, "code": code}).json()["access_token"]


@pytest.mark.e2e
@pytest.mark.parametrize("phone", [ADMIN, OWNER, DRIVER], ids=["admin", "restaurant-owner", "driver"])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(database_url, phone, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    service = _serve(database_url, port)
    try:
        examples = "10" if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else "30"
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "st"), "run", f"{base}/api/v1/openapi.json", "--url", f"{base}/api/v1",
                "-H", f"Authorization: Bearer {_token(base, phone)}",
                "--checks", "not_a_server_error,response_schema_conformance",
                "--exclude-path-regex", "/(events|ws)$",  # streams: they answer for as long as the client listens
                "-n", examples, "--seed", "20261124", "--no-color", "--suppress-health-check", "all",
                "--generation-database", "none",
            ],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    finally:
        service.terminate()
        service.wait(timeout=15)


def test_every_schema_has_a_name_of_its_own():
    names = document()["components"]["schemas"]
    assert not [n for n in names if "__" in n]  # pydantic's fallback for two models of one name
