"""Accounts on the REST API: a code by SMS, a JWT, refresh tokens rotated, reuse caught, roles,
and access tokens refused once their login ends or their roles change."""
import re

import jwt
import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from channels.api.revocations import MemoryRevocations, RedisRevocations
from channels.keys import DATABASE, REVOCATIONS
from chopbar.app import create_app
from chopbar.demo_data import DEMO_TOTP_SECRET
from core.second_factor import code_at
from core.models import OutboxMessage
from core.revocation import login_ended
from tests import demo
from tests.conftest import free_port
from tests.payments import placed_order
from core.sealing import blind

PHONE = demo.CUSTOMER_FR.phone


async def code_sent_to(chopbar, phone: str) -> str:
    messages = await (await chopbar.get("/sim/messages", params={"to": phone})).json()
    return re.search(r"\b(\d{6})\b", messages[-1]["text"]).group(1)


SECRETS: dict[str, str] = {}  # the TOTP secret each number enrolled here; the demo's by default


async def sign_in(chopbar, phone: str = PHONE, *, sms_only: bool = False) -> dict:
    """Signs in with the SMS code; a support or admin account then gives its second factor
    (enrolling first when it has none), unless `sms_only`."""
    assert (await chopbar.post("/api/v1/auth/otp", json={"phone": phone})).status == 202
    response = await chopbar.post("/api/v1/auth/token", json={"phone": phone, "code": await code_sent_to(chopbar, phone)})
    assert response.status == 200
    tokens = await response.json()
    return tokens if sms_only else await second_factor(chopbar, tokens, phone)


def claims_of(tokens: dict) -> dict:
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})


def totp_now(chopbar, phone: str, drift_s: int = 0) -> str:
    """The code the authenticator app of `phone` shows at the service's time (plus `drift_s`)."""
    return totp_at(chopbar, SECRETS.get(phone, DEMO_TOTP_SECRET), drift_s)


def totp_at(chopbar, secret: str, drift_s: int = 0) -> str:
    return code_at(secret, chopbar.server.app[DATABASE].clock().timestamp() + drift_s)


def secrets_of(phone: str) -> list[str]:
    """The secret this number enrolled last here, then the demo's: a test's database is fresh,
    so a demo account enrolled anew by an earlier test has the demo's secret again."""
    return list(dict.fromkeys([SECRETS.get(phone, DEMO_TOTP_SECRET), DEMO_TOTP_SECRET]))


async def second_factor(chopbar, tokens: dict, phone: str) -> dict:
    """The token pair after the second factor, for tokens that need it; the tokens as they are
    otherwise. Codes of the step before, of now, then of the step after: the clock of a test
    stands still, and each step's code is accepted once."""
    needed = claims_of(tokens).get("second_factor")
    if needed is None:
        return tokens
    path = "/api/v1/auth/second-factor"
    if needed == "enrolment_required":
        enrolled = await chopbar.post(f"{path}/enrolment", headers=bearer(tokens))
        assert enrolled.status == 201, await enrolled.text()
        SECRETS[phone] = (await enrolled.json())["secret"]
        path += "/enrolment/confirm"
    for secret in secrets_of(phone):
        for drift in (-30, 0, 30):
            answer = await chopbar.post(path, json={"code": totp_at(chopbar, secret, drift)}, headers=bearer(tokens))
            if answer.status == 200:
                return await answer.json()
    raise AssertionError(f"no code of {phone}'s second factor was accepted: {await answer.text()}")


def bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_sign_in_by_sms_code_then_read_my_orders(chopbar, db):
    code = await placed_order(db)
    tokens = await sign_in(chopbar)
    assert tokens["expires_in"] == 900 and tokens["token_type"] == "Bearer"
    listing = await (await chopbar.get("/api/v1/orders", headers=bearer(tokens))).json()
    assert [o["code"] for o in listing["items"]] == [code] and listing["next"] is None
    one = await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(tokens))
    assert (await one.json())["total_xaf"] > 0


async def test_the_code_sms_is_in_french_for_a_french_customer(chopbar):
    await chopbar.post("/api/v1/auth/otp", json={"phone": PHONE})
    messages = await (await chopbar.get("/sim/messages", params={"to": PHONE})).json()
    assert messages[-1]["text"].startswith("Votre code Chopbar")


async def test_five_wrong_codes_and_even_the_right_one_is_refused(chopbar):
    await chopbar.post("/api/v1/auth/otp", json={"phone": PHONE})
    right = await code_sent_to(chopbar, PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        assert (await chopbar.post("/api/v1/auth/token", json={"phone": PHONE, "code": wrong})).status == 401
    response = await chopbar.post("/api/v1/auth/token", json={"phone": PHONE, "code": right})
    assert response.status == 401 and (await response.json())["error"]["code"] == "unauthorized"


async def test_refresh_rotates_and_a_reused_token_closes_the_whole_family(chopbar):
    first = await sign_in(chopbar)
    second = await (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"]
    reuse = await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status == 401
    after = await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status == 401  # the thief's copy and the owner's are both dead now


async def test_logout_ends_the_refresh_token(chopbar):
    tokens = await sign_in(chopbar)
    assert (await chopbar.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})).status == 204
    assert (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status == 401


async def test_an_access_token_expires_after_15_minutes(chopbar, clock):
    tokens = await sign_in(chopbar)
    clock.advance(minutes=16)
    response = await chopbar.get("/api/v1/orders", headers=bearer(tokens))
    assert response.status == 401


async def test_a_customer_cannot_read_another_customers_order_but_the_restaurant_can(chopbar, db):
    code = await placed_order(db)
    stranger = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(stranger))).status == 404
    restaurant = await sign_in(chopbar, demo.ALL_DAY_YAOUNDE.phone)
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(restaurant))).status == 200
    support = await sign_in(chopbar, next(p.phone for p in demo.demo_data.PEOPLE if p.role == "support"))
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(support))).status == 200


@pytest.mark.parametrize(
    "path,body",
    [("/api/v1/auth/otp", b"not json"), ("/api/v1/auth/otp", b"[]"), ("/api/v1/auth/otp", b'{"phone": "12"}'),
     ("/api/v1/auth/token", b'{"phone": "+237699000001"}'), ("/api/v1/auth/token", b'{"phone": "+237699000001", "code": "abc"}')],
)
async def test_bad_requests_get_a_clear_json_4xx(chopbar, path, body):
    response = await chopbar.post(path, data=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status < 500
    assert set((await response.json())["error"]) == {"code", "message"}


async def test_no_or_bad_bearer_is_401(chopbar):
    assert (await chopbar.get("/api/v1/orders")).status == 401
    assert (await chopbar.get("/api/v1/orders", headers={"Authorization": "Bearer x.y.z"})).status == 401


async def test_a_sixth_code_in_15_minutes_is_refused_with_retry_after(chopbar):
    for _ in range(5):
        assert (await chopbar.post("/api/v1/auth/otp", json={"phone": "+237699555090"})).status == 202
    response = await chopbar.post("/api/v1/auth/otp", json={"phone": "+237699555090"})
    assert response.status == 429 and int(response.headers["Retry-After"]) > 0
    assert (await response.json())["error"]["code"] == "rate_limited"


async def test_more_than_100_api_requests_in_15_minutes_are_refused(chopbar):
    statuses = [(await chopbar.get("/api/v1/orders")).status for _ in range(101)]
    assert statuses[:100] == [401] * 100 and statuses[100] == 429


async def test_the_general_limit_counts_per_account_across_refreshed_tokens(chopbar):
    tokens = await sign_in(chopbar)  # the sign-in itself came from this address, not this account
    for _ in range(60):
        assert (await chopbar.get("/api/v1/orders", headers=bearer(tokens))).status == 200
    fresh = await (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).json()
    statuses = [(await chopbar.get("/api/v1/orders", headers=bearer(fresh))).status for _ in range(41)]
    assert statuses[:40] == [200] * 40 and statuses[40] == 429
    other = await sign_in(chopbar, demo.CUSTOMER_EN.phone)  # another phone keeps its own allowance
    assert (await chopbar.get("/api/v1/orders", headers=bearer(other))).status == 200


async def refreshed(chopbar, tokens: dict) -> dict:
    response = await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status == 200
    return await response.json()


async def my_orders(chopbar, tokens: dict) -> tuple[int, str]:
    response = await chopbar.get("/api/v1/orders", headers=bearer(tokens))
    body = await response.json()
    return response.status, body.get("error", {}).get("message", "")


async def test_logout_refuses_every_access_token_of_that_login_at_once(chopbar):
    first = await sign_in(chopbar)
    second = await refreshed(chopbar, first)  # the same login, rotated
    elsewhere = await sign_in(chopbar)  # the same person on another device: another login
    assert (await chopbar.post("/api/v1/auth/logout", json={"refresh_token": second["refresh_token"]})).status == 204
    for tokens in (first, second):
        status, message = await my_orders(chopbar, tokens)
        assert status == 401 and "sign in again" in message
    assert (await my_orders(chopbar, elsewhere))[0] == 200


async def test_a_reused_refresh_token_refuses_the_access_tokens_of_its_family(chopbar):
    stolen = await sign_in(chopbar)
    owners = await refreshed(chopbar, stolen)
    assert (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})).status == 401
    assert (await my_orders(chopbar, stolen))[0] == 401
    assert (await my_orders(chopbar, owners))[0] == 401  # the owner signs in again; the thief cannot


async def test_a_role_change_refuses_the_old_tokens_and_a_refresh_in_the_same_second_gets_the_new_roles(chopbar, clock):
    support_phone = next(p.phone for p in demo.demo_data.PEOPLE if p.role == "support")
    support = await sign_in(chopbar, support_phone)
    assert (await chopbar.get("/api/v1/admin/audit", headers=bearer(support))).status == 200
    admin = await sign_in(chopbar, next(p.phone for p in demo.demo_data.PEOPLE if p.role == "admin"))
    found = await (await chopbar.get("/api/v1/admin/accounts", params={"phone": support_phone}, headers=bearer(admin))).json()
    # The test clock stands still: the change, the refused token and the new one share one second.
    changed = await chopbar.put(f"/api/v1/admin/accounts/{found['id']}/roles", json={"roles": [{"role": "customer"}]},
                                headers=bearer(admin))
    assert changed.status == 200
    refused = await chopbar.get("/api/v1/admin/audit", headers=bearer(support))
    assert refused.status == 401 and "roles changed" in (await refused.json())["error"]["message"]
    demoted = await refreshed(chopbar, support)
    assert (await chopbar.get("/api/v1/admin/audit", headers=bearer(demoted))).status == 403  # a customer now
    assert (await my_orders(chopbar, demoted))[0] == 200
    assert (await chopbar.get("/api/v1/admin/audit", headers=bearer(admin))).status == 200  # nobody else's tokens


async def test_revocations_last_as_long_as_an_access_token(chopbar, settings):
    tokens = await sign_in(chopbar)
    await chopbar.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    family = jwt.decode(tokens["access_token"], options={"verify_signature": False})["fam"]
    store = chopbar.app[REVOCATIONS]
    if settings.redis_url:
        ttl = await store.redis.ttl(f"{settings.redis_prefix}revoked:family:{family}")
    else:
        ttl = store.entries[f"family:{family}"][0] - store.clock()
    assert 890 < ttl <= 900


async def test_an_entry_goes_by_itself_once_no_token_it_names_can_be_alive():
    now = [1000.0]
    store = MemoryRevocations(clock=lambda: now[0])
    await store.revoke(login_ended("f1"))
    assert await store.values("family:f1", "account:1") == ["ended", None]
    now[0] += 901
    assert await store.values("family:f1") == [None]


@pytest.fixture
async def without_revocation_store(aiohttp_server, aiohttp_client, settings, clock):
    """The service with a Redis that does not answer, for the revocation list only."""
    app = create_app(settings, clock=clock)
    dead = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    app[REVOCATIONS] = RedisRevocations(dead, settings.redis_prefix)
    client = await aiohttp_client(await aiohttp_server(app, host="127.0.0.1", port=settings.port))
    yield client
    await dead.aclose()


async def test_while_the_revocation_list_cannot_be_read_tokens_get_503_and_logout_changes_nothing(without_revocation_store):
    chopbar = without_revocation_store
    tokens = await sign_in(chopbar)
    response = await chopbar.get("/api/v1/orders", headers=bearer(tokens))
    assert response.status == 503 and (await response.json())["error"]["code"] == "unavailable"
    logout = await chopbar.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert logout.status == 503
    # Nothing was ended on paper only: the login still refreshes, and its logout can be retried.
    assert (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status == 200


async def test_the_code_sms_keeps_a_masked_copy_for_when_it_is_sent(chopbar):
    await chopbar.post("/api/v1/auth/otp", json={"phone": PHONE})
    code = await code_sent_to(chopbar, PHONE)
    async with chopbar.app[DATABASE].unit() as unit:
        message = await unit.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(PHONE), OutboxMessage.kind == "auth.otp"))
    assert code in message.body and code not in message.redacted_body and "******" in message.redacted_body
