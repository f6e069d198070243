"""Security headers on every kind of answer, and CORS only for the origins CHOPBAR_CORS_ORIGINS lists."""
import base64
import hashlib
import re

import pytest

from channels.api.endpoints import ENDPOINTS
from channels.web_security import API_METHODS, API_POLICY, origins, page_policy
from chopbar.app import create_app
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_realtime import read_events
from tests.payments import placed_order

SHOP = "https://shop.example.cm"


def assert_common_headers(response) -> None:
    h = response.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in h["Permissions-Policy"] and "geolocation=()" in h["Permissions-Policy"]
    assert "Strict-Transport-Security" not in h  # plain http here


async def test_a_json_answer_loads_nothing_and_cannot_be_framed(chopbar):
    for response in (await chopbar.get("/api/v1/openapi.json"), await chopbar.get("/api/v1/no-such-thing"),
                     await chopbar.get("/api/v1/payouts/account")):
        assert response.headers["Content-Security-Policy"] == API_POLICY == "default-src 'none'; frame-ancestors 'none'"
        assert_common_headers(response)
    assert response.status == 401


async def test_a_streamed_answer_carries_the_headers_too(chopbar, db):
    code = await placed_order(db, method="cash")
    stream = await chopbar.get(f"/api/v1/orders/{code}/events", headers=bearer(await sign_in(chopbar)))
    assert stream.status == 200 and stream.headers["Content-Security-Policy"] == API_POLICY
    assert_common_headers(stream)
    [placed] = await read_events(stream, 1)
    assert placed["status"] == "PENDING_RESTAURANT"
    stream.close()


async def test_the_console_pages_load_only_from_the_service(chopbar):
    response = await chopbar.get("/console/")
    policy = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert_common_headers(response)


async def test_the_web_phone_page_has_no_inline_script_or_style_and_its_own_files_load(chopbar):
    response = await chopbar.get("/sim/phone")
    page = await response.text()
    assert response.headers["Content-Security-Policy"] == page_policy() == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'")
    assert_common_headers(response)
    assert "<style" not in page and " style=" not in page and not re.search(r"\son[a-z]+=", page)
    assert all('type="application/json"' in tag for tag in re.findall(r"<script[^>]*>(?=[^<])", page))  # data, not code
    css = await chopbar.get("/sim/phone/phone.css")
    assert css.status == 200 and css.content_type == "text/css" and ".keypad" in await css.text()
    assert (await chopbar.get("/sim/phone/phone.js")).status == 200


async def test_the_api_docs_page_lets_in_its_one_style_by_its_hash(chopbar):
    response = await chopbar.get("/api/v1/docs")
    [style] = re.findall(r"<style>(.*?)</style>", await response.text(), re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert response.headers["Content-Security-Policy"] == page_policy((f"'sha256-{digest}'",))


async def test_gateway_webhooks_answer_as_before(chopbar):
    ussd = await chopbar.post("/ussd/africastalking", data={
        "sessionId": "sec-1", "phoneNumber": "+237699000001", "text": "", "serviceCode": "*384*2468#"})
    assert ussd.status == 200 and ussd.content_type == "text/plain" and (await ussd.text()).startswith("CON ")
    sms = await chopbar.post("/sms/africastalking", data={
        "from": "+237699000001", "to": "2468", "text": "AIDE", "date": "2026-11-24 11:30:00", "id": "ATXid_sec", "linkId": "x"})
    assert sms.status == 200
    assert "Access-Control-Allow-Origin" not in ussd.headers


async def test_strict_transport_security_only_behind_an_https_public_url(aiohttp_client, settings, clock):
    client = await aiohttp_client(create_app(settings.model_copy(update={"public_url": "https://chopbar.example.cm"}), clock=clock))
    response = await client.get("/api/v1/openapi.json")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


async def test_without_listed_origins_no_answer_carries_cors_headers(chopbar):
    response = await chopbar.get("/api/v1/openapi.json", headers={"Origin": SHOP})
    assert not [h for h in response.headers if h.lower().startswith("access-control-")] and "Vary" not in response.headers
    preflight = await chopbar.options("/api/v1/orders", headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"})
    assert preflight.status == 403 and "Access-Control-Allow-Origin" not in preflight.headers


@pytest.fixture
async def with_cors(aiohttp_client, settings, clock):
    return await aiohttp_client(create_app(settings.model_copy(update={"cors_origins": f" {SHOP}/ , https://app.example.cm"}),
                                           clock=clock))


async def test_a_listed_origin_may_read_the_api(with_cors):
    response = await with_cors.get("/api/v1/openapi.json", headers={"Origin": SHOP})
    assert response.headers["Access-Control-Allow-Origin"] == SHOP and response.headers["Vary"] == "Origin"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    refused = await with_cors.get("/api/v1/payouts/account", headers={"Origin": SHOP})
    assert refused.status == 401 and refused.headers["Access-Control-Allow-Origin"] == SHOP  # a script may read why


async def test_a_listed_origins_preflight_names_the_methods_and_headers_the_api_reads(with_cors):
    preflight = await with_cors.options("/api/v1/orders", headers={
        "Origin": SHOP, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, idempotency-key"})
    assert preflight.status == 204 and preflight.headers["Access-Control-Allow-Origin"] == SHOP
    methods = preflight.headers["Access-Control-Allow-Methods"].split(", ")
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} == set(methods)
    for header in ("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "Last-Event-ID"):
        assert header in preflight.headers["Access-Control-Allow-Headers"]
    assert preflight.headers["Vary"] == "Origin" and int(preflight.headers["Access-Control-Max-Age"]) > 0


async def test_an_unlisted_origin_gets_no_cors_headers_and_its_preflight_is_refused(with_cors):
    response = await with_cors.get("/api/v1/openapi.json", headers={"Origin": "https://evil.example"})
    assert response.status == 200 and "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"  # a cache keeps the listed origins' answers apart
    preflight = await with_cors.options("/api/v1/orders", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status == 403 and "Access-Control-Allow-Origin" not in preflight.headers
    assert (await preflight.json())["error"]["code"] == "forbidden"


async def test_cors_is_for_the_api_only(with_cors):
    page = await with_cors.get("/console/", headers={"Origin": SHOP})
    assert "Access-Control-Allow-Origin" not in page.headers
    ussd = await with_cors.options("/ussd/africastalking", headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in ussd.headers


def test_the_allowed_methods_cover_every_endpoint_and_the_setting_reads_as_origins():
    assert {endpoint.method for endpoint in ENDPOINTS} <= set(API_METHODS)
    assert origins(" https://a.cm/, ,http://b.cm:8080 ") == {"https://a.cm", "http://b.cm:8080"}
    assert origins("") == frozenset()
