"""Who may call what: every endpoint refuses a caller without a valid token, and each role is
allowed where it should be and refused elsewhere (403 for a role's wrong door, 404 where even
knowing that something exists is not the caller's business)."""
import jwt
import pytest

from channels.api.endpoints import ENDPOINTS
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_api_shopping import keyed

CUSTOMER, STRANGER = demo.CUSTOMER_FR.phone, demo.CUSTOMER_EN.phone
OWNER, STAFF, OTHER_OWNER = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone, "+237699100003"
SUPPORT, ADMIN = "+237699000090", "+237677000099"
DRIVER = next(p.phone for p in demo.demo_data.PEOPLE if p.role == "driver" and p.city == "Yaounde")


def _path(template: str) -> str:
    for name, value in (("{code}", "123456"), ("{restaurant_id}", "1"), ("{item_id}", "1"), ("{option_id}", "1"),
                        ("{category_id}", "1"), ("{group_id}", "1"), ("{job_id}", "1"), ("{account_id}", "1"),
                        ("{application_id}", "1"), ("{driver_id}", "1"), ("{ticket_id}", "1"),
                        ("{phone}", "%2B237699000001"), ("{payout_id}", "1"), ("{code_id}", "1"), ("{offer_id}", "1"),
                        ("{rating_id}", "1")):
        template = template.replace(name, value)
    return template


@pytest.mark.parametrize("each", [e for e in ENDPOINTS if e.auth], ids=lambda e: f"{e.method} {e.path}")
async def test_without_a_valid_token_every_private_endpoint_is_401(chopbar, each):
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"},
                    {"Authorization": "Bearer " + jwt.encode({"sub": "1", "exp": 1}, "a-forged-key-of-thirty-two-bytes!", algorithm="HS256")}):
        answer = await chopbar.request(each.method, _path(each.path), json={}, headers={**headers, "Idempotency-Key": "k"})
        assert answer.status == 401, await answer.text()
        assert (await answer.json())["error"]["code"] == "unauthorized"


async def test_an_order_is_read_by_its_people_and_no_one_else(chopbar):
    customer = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "r"))).json())["code"]
    expected = {CUSTOMER: 200, OWNER: 200, STAFF: 200, SUPPORT: 200, ADMIN: 200, STRANGER: 404, OTHER_OWNER: 404, DRIVER: 404}
    for phone, status in expected.items():
        tokens = customer if phone == CUSTOMER else await sign_in(chopbar, phone)
        for path in (f"/api/v1/orders/{code}", f"/api/v1/orders/{code}/payment"):
            answer = await chopbar.get(path, headers=bearer(tokens))
            assert answer.status == status, (phone, path)


async def test_only_the_customer_cancels_and_only_the_restaurant_answers(chopbar):
    customer = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    code = (await (await chopbar.post("/api/v1/orders", json=order_body(restaurant_id, item_id), headers=keyed(customer, "o"))).json())["code"]
    for phone in (STRANGER, OWNER, SUPPORT):
        tokens = await sign_in(chopbar, phone)
        assert (await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(tokens))).status == 404, phone
    for phone in (CUSTOMER, OTHER_OWNER, DRIVER, SUPPORT, ADMIN):
        tokens = customer if phone == CUSTOMER else await sign_in(chopbar, phone)
        for change, body in (("accept", {}), ("reject", {"reason": "no gas"}), ("ready", None)):
            answer = await chopbar.post(f"/api/v1/orders/{code}/{change}", json=body, headers=bearer(tokens))
            assert answer.status == 403, (phone, change)
    staff = await sign_in(chopbar, STAFF)
    assert (await chopbar.post(f"/api/v1/orders/{code}/accept", json={}, headers=bearer(staff))).status == 200
    late = await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(customer))
    assert late.status == 409  # accepted: too late to cancel


async def test_the_payment_of_an_order_is_started_by_its_customer_only(chopbar):
    customer = await sign_in(chopbar, CUSTOMER)
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "payment_method": "mtn"}
    code = (await (await chopbar.post("/api/v1/orders", json=body, headers=keyed(customer, "p"))).json())["code"]
    for phone in (OWNER, SUPPORT, STRANGER):
        tokens = await sign_in(chopbar, phone)
        assert (await chopbar.post(f"/api/v1/orders/{code}/payment", json={}, headers=keyed(tokens, "s"))).status == 404
    assert (await chopbar.post(f"/api/v1/orders/{code}/payment", json={}, headers=keyed(customer, "s"))).status == 202
