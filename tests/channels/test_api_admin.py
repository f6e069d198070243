"""Support and admin over REST: who may do what, restaurants, roles, order search, refunds, audit log."""
import jwt
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from chopbar.demo_data import PEOPLE
from core import ledger
from core.models import Order, Payment, Restaurant
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_payments_over_http import MTN_CUSTOMER, paid_momo_order, settle
from tests.payments import placed_order

SUPPORT = next(p.phone for p in PEOPLE if p.role == "support")
ADMIN = next(p.phone for p in PEOPLE if p.role == "admin")
OWNER = demo.ALL_DAY_YAOUNDE.phone

EVERY_ENDPOINT = [
    ("GET", "/api/v1/admin/restaurants", None),
    ("POST", "/api/v1/admin/restaurants/1/approve", {}),
    ("POST", "/api/v1/admin/restaurants/1/suspend", {"reason": "hygiene"}),
    ("GET", f"/api/v1/admin/accounts?phone={SUPPORT.replace('+', '%2B')}", None),
    ("PUT", "/api/v1/admin/accounts/1/roles", {"roles": [{"role": "customer"}]}),
    ("GET", "/api/v1/admin/orders", None),
    ("POST", "/api/v1/admin/orders/123456/refund", {"amount_xaf": 100, "reason": "cold food"}),
    ("GET", "/api/v1/admin/audit", None),
]
ADMIN_ONLY = [e for e in EVERY_ENDPOINT if e[0] == "PUT" or e[1].endswith("suspend")]
SUPPORT_READS = [e for e in EVERY_ENDPOINT if e[0] == "GET"]


async def signed_in(chopbar, phone: str) -> dict:
    return bearer(await sign_in(chopbar, phone))


async def send(chopbar, method: str, path: str, body: dict | None, headers: dict):
    if path.endswith("/refund"):
        headers = {**headers, "Idempotency-Key": "k"}
    return await chopbar.request(method, path, json=body, headers=headers)


async def restaurant_id(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.restaurant(unit)).id


async def account_id(chopbar, phone: str) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.account(unit, phone)).id


@pytest.mark.parametrize("phone", [demo.CUSTOMER_FR.phone, OWNER], ids=["customer", "restaurant owner"])
async def test_a_customer_and_a_restaurant_owner_get_403_everywhere(chopbar, phone):
    headers = await signed_in(chopbar, phone)
    for method, path, body in EVERY_ENDPOINT:
        response = await send(chopbar, method, path, body, headers)
        assert response.status == 403, (method, path, await response.text())
        assert (await response.json())["error"]["code"] == "forbidden"


async def test_without_a_token_every_endpoint_is_401(chopbar):
    for method, path, body in EVERY_ENDPOINT:
        assert (await send(chopbar, method, path, body, {})).status == 401, path


async def test_support_reads_refunds_and_reviews_but_only_an_admin_suspends_restaurants_and_changes_roles(chopbar):
    support, admin = await signed_in(chopbar, SUPPORT), await signed_in(chopbar, ADMIN)
    for method, path, body in SUPPORT_READS:
        assert (await send(chopbar, method, path, body, support)).status == 200, path
        assert (await send(chopbar, method, path, body, admin)).status == 200, path
    for method, path, body in ADMIN_ONLY:
        assert (await send(chopbar, method, path, body, support)).status == 403, path
    refund = await send(chopbar, "POST", "/api/v1/admin/orders/123456/refund", {"reason": "x"}, support)
    assert refund.status == 404  # allowed in, but there is no such order


async def test_an_admin_suspends_then_approves_a_restaurant_and_both_are_audited(chopbar):
    admin, support = await signed_in(chopbar, ADMIN), await signed_in(chopbar, SUPPORT)
    rid, me = await restaurant_id(chopbar), await account_id(chopbar, ADMIN)
    listed = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    assert [r["id"] for r in listed["items"]] == [rid]
    suspended = await chopbar.post(f"/api/v1/admin/restaurants/{rid}/suspend", json={"reason": " dirty kitchen "}, headers=admin)
    assert suspended.status == 200 and (await suspended.json())["status"] == "suspended"
    listed = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    assert listed["items"] == []  # the catalog snapshot learnt of it at once
    again = await chopbar.post(f"/api/v1/admin/restaurants/{rid}/suspend", json={"reason": "twice"}, headers=admin)
    assert again.status == 409 and (await again.json())["error"]["code"] == "illegal_transition"
    page = await (await chopbar.get("/api/v1/admin/restaurants", params={"status": "suspended"}, headers=support)).json()
    assert [r["id"] for r in page["items"]] == [rid]
    approved = await chopbar.post(f"/api/v1/admin/restaurants/{rid}/approve", headers=admin)
    assert approved.status == 200 and (await approved.json())["status"] == "approved"
    assert (await chopbar.post(f"/api/v1/admin/restaurants/{rid}/approve", json={}, headers=admin)).status == 409
    assert (await chopbar.post("/api/v1/admin/restaurants/999999/approve", json={}, headers=admin)).status == 404
    for junk in ({}, {"reason": "   "}, {"reason": "a\x00b"}, {"reason": "r" * 241}):
        assert (await chopbar.post(f"/api/v1/admin/restaurants/{rid}/suspend", json=junk, headers=admin)).status == 400, junk
    beyond = await chopbar.post(f"/api/v1/admin/restaurants/{2**40}/approve", json={}, headers=admin)
    assert beyond.status == 404
    log = await (await chopbar.get("/api/v1/admin/audit", params={"entity": "restaurant", "ref": str(rid)}, headers=support)).json()
    assert [(e["trigger"], e["from_state"], e["to_state"], e["actor"], e["reason"]) for e in log["items"]] == [
        ("approve", "suspended", "approved", f"admin:{me}", None),
        ("suspend", "approved", "suspended", f"admin:{me}", "dirty kitchen"),
    ]
    listed = await (await chopbar.get("/api/v1/restaurants", params={"name": "maman ngo"})).json()
    assert [r["id"] for r in listed["items"]] == [rid]


async def test_restaurants_are_listed_by_status_one_page_after_another(chopbar):
    support = await signed_in(chopbar, SUPPORT)
    pages, cursor = [], None
    while True:
        params = {"status": "approved", "limit": "8", **({"cursor": cursor} if cursor else {})}
        page = await (await chopbar.get("/api/v1/admin/restaurants", params=params, headers=support)).json()
        pages.append([r["id"] for r in page["items"]])
        if (cursor := page["next"]) is None:
            break
    assert [len(p) for p in pages] == [8, 8, 3]
    async with chopbar.app[DATABASE].unit() as unit:
        assert sum(pages, []) == list(await unit.session.scalars(select(Restaurant.id).order_by(Restaurant.id)))
    pending = await (await chopbar.get("/api/v1/admin/restaurants", params={"status": "pending"}, headers=support)).json()
    assert pending == {"items": [], "next": None}
    assert (await chopbar.get("/api/v1/admin/restaurants", params={"status": "closed"}, headers=support)).status == 400


async def test_an_account_is_found_by_its_phone_as_people_write_it(chopbar):
    support = await signed_in(chopbar, SUPPORT)
    found = await chopbar.get("/api/v1/admin/accounts", params={"phone": "6 99 00 00 01"}, headers=support)
    assert found.status == 200
    account = await found.json()
    assert account["phone"] == demo.CUSTOMER_FR.phone and account["roles"] == [{"role": "customer", "restaurant_id": None}]
    owner = await (await chopbar.get("/api/v1/admin/accounts", params={"phone": OWNER}, headers=support)).json()
    assert owner["roles"] == [{"role": "owner", "restaurant_id": await restaurant_id(chopbar)}]
    assert (await chopbar.get("/api/v1/admin/accounts", params={"phone": "+237699999999"}, headers=support)).status == 404
    assert (await chopbar.get("/api/v1/admin/accounts", params={"phone": "not a phone"}, headers=support)).status == 400
    assert (await chopbar.get("/api/v1/admin/accounts", headers=support)).status == 400


async def test_an_admin_replaces_roles_and_a_fresh_token_carries_them(chopbar):
    admin = await signed_in(chopbar, ADMIN)
    rid, customer = await restaurant_id(chopbar), await account_id(chopbar, demo.CUSTOMER_EN.phone)
    body = {"roles": [{"role": "customer"}, {"role": "staff", "restaurant_id": rid}, {"role": "customer"}]}
    response = await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json=body, headers=admin)
    assert response.status == 200, await response.text()
    assert (await response.json())["roles"] == [{"role": "customer", "restaurant_id": None}, {"role": "staff", "restaurant_id": rid}]
    tokens = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["customer", f"staff:{rid}"]
    body = {"roles": [{"role": "support"}]}
    assert (await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json=body, headers=admin)).status == 200
    claims = jwt.decode((await sign_in(chopbar, demo.CUSTOMER_EN.phone))["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["support"]
    now_support = bearer(await sign_in(chopbar, demo.CUSTOMER_EN.phone))
    assert (await chopbar.get("/api/v1/admin/audit", headers=now_support)).status == 200
    log = await (await chopbar.get("/api/v1/admin/audit", params={"entity": "account", "ref": str(customer)}, headers=admin)).json()
    assert [e["data"] for e in log["items"] if e["trigger"] == "set_roles"] == [
        {"before": ["customer", f"staff:{rid}"], "after": ["support"]},
        {"before": ["customer"], "after": ["customer", f"staff:{rid}"]},
    ]


@pytest.mark.parametrize("roles", [
    [{"role": "owner"}],
    [{"role": "staff", "restaurant_id": 999999}],
    [{"role": "driver", "restaurant_id": 1}],
    [{"role": "chef"}],
    [],
    [{"role": "owner", "restaurant_id": 0}],
])
async def test_roles_that_make_no_sense_are_400(chopbar, roles):
    admin = await signed_in(chopbar, ADMIN)
    customer = await account_id(chopbar, demo.CUSTOMER_EN.phone)
    response = await chopbar.put(f"/api/v1/admin/accounts/{customer}/roles", json={"roles": roles}, headers=admin)
    assert response.status == 400, await response.text()


async def test_an_admin_cannot_remove_their_own_admin_role(chopbar):
    tokens = await sign_in(chopbar, ADMIN)
    admin = bearer(tokens)
    me = await account_id(chopbar, ADMIN)
    refused = await chopbar.put(f"/api/v1/admin/accounts/{me}/roles", json={"roles": [{"role": "support"}]}, headers=admin)
    assert refused.status == 409
    kept = await chopbar.put(f"/api/v1/admin/accounts/{me}/roles", json={"roles": [{"role": "admin"}, {"role": "driver"}]},
                             headers=admin)
    assert kept.status == 200
    assert (await chopbar.get("/api/v1/admin/audit", headers=admin)).status == 401  # it carries the roles before the change
    admin = bearer(await (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).json())
    for missing in (999999, 2**40):
        response = await chopbar.put(f"/api/v1/admin/accounts/{missing}/roles", json={"roles": [{"role": "admin"}]}, headers=admin)
        assert response.status == 404


async def test_orders_are_found_by_phone_code_status_and_restaurant_newest_first_by_cursor(chopbar, db):
    fr = [await placed_order(db, method="cash") for _ in range(3)]
    en = await placed_order(db, method="cash", phone=demo.CUSTOMER_EN.phone)
    support = await signed_in(chopbar, SUPPORT)

    async def codes(**params) -> tuple[list[str], str | None]:
        response = await chopbar.get("/api/v1/admin/orders", params={k: str(v) for k, v in params.items()}, headers=support)
        assert response.status == 200, await response.text()
        page = await response.json()
        return [o["code"] for o in page["items"]], page["next"]

    assert await codes() == ([en, *reversed(fr)], None)
    assert await codes(phone="699000001") == (list(reversed(fr)), None)
    assert await codes(code=fr[1]) == ([fr[1]], None)
    assert await codes(status="PENDING_RESTAURANT", restaurant_id=await restaurant_id(chopbar)) == ([en, *reversed(fr)], None)
    assert await codes(status="DELIVERED") == ([], None)
    other = await restaurant_id(chopbar) + 1
    assert await codes(restaurant_id=other) == ([], None)
    first, cursor = await codes(limit=3)
    assert first == [en, fr[2], fr[1]] and cursor
    assert await codes(limit=3, cursor=cursor) == ([fr[0]], None)
    assert await codes(status="", code="", phone="") == ([en, *reversed(fr)], None)  # an empty form filters nothing


@pytest.mark.parametrize("params", [
    {"status": "LOST"}, {"code": "12a456"}, {"code": "1234567"}, {"cursor": "0"}, {"cursor": "99999999999"},
    {"restaurant_id": "-1"}, {"phone": "12"}, {"phone": "x" * 40}, {"phone": "12345678901234"}, {"limit": "1000"},
])
async def test_junk_order_searches_are_400(chopbar, params):
    support = await signed_in(chopbar, SUPPORT)
    assert (await chopbar.get("/api/v1/admin/orders", params=params, headers=support)).status == 400


async def payment_of(chopbar, code: str) -> Payment:
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        return await unit.session.scalar(select(Payment).where(Payment.order_id == order.id))


async def test_a_partial_then_a_full_refund_reach_the_provider(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    paid = await payment_of(chopbar, code)
    assert paid.status == "SUCCEEDED"
    support = await signed_in(chopbar, SUPPORT)
    url = f"/api/v1/admin/orders/{code}/refund"
    body = {"amount_xaf": 1000, "reason": "one dish missing"}
    first = await chopbar.post(url, json=body, headers={**support, "Idempotency-Key": "r1"})
    assert first.status == 200, await first.text()
    assert (await first.json())["refund_due_xaf"] == 1000
    replay = await chopbar.post(url, json=body, headers={**support, "Idempotency-Key": "r1"})
    assert replay.headers.get("Idempotent-Replayed") == "true" and await replay.json() == await first.json()
    on_its_way = await chopbar.post(url, json={"reason": "all"}, headers={**support, "Idempotency-Key": "r2"})
    assert on_its_way.status == 409  # one refund at a time
    await settle(worker, book)
    payment = await payment_of(chopbar, code)
    assert (payment.status, payment.refunded_xaf, payment.refund_due_xaf) == ("PARTIALLY_REFUNDED", 1000, 0)

    too_much = await chopbar.post(url, json={"amount_xaf": paid.amount_xaf, "reason": "all of it"},
                                  headers={**support, "Idempotency-Key": "r3"})
    assert too_much.status == 400 and f"{paid.amount_xaf - 1000} XAF left" in (await too_much.json())["error"]["message"]
    rest = await chopbar.post(url, json={"amount_xaf": None, "reason": "order never came"}, headers={**support, "Idempotency-Key": "r4"})
    assert rest.status == 200 and (await rest.json())["refund_due_xaf"] == paid.amount_xaf - 1000
    await settle(worker, book)
    payment = await payment_of(chopbar, code)
    assert (payment.status, payment.refunded_xaf, payment.refund_due_xaf) == ("REFUNDED", paid.amount_xaf, 0)

    sent = [p for p in book.payments.values() if p.kind == "disbursement" and p.external_reference == paid.reference]
    assert sorted(p.amount for p in sent) == sorted([1000, paid.amount_xaf - 1000])
    assert {(p.phone, p.status) for p in sent} == {(MTN_CUSTOMER, "successful")}
    nothing_left = await chopbar.post(url, json={"reason": "again"}, headers={**support, "Idempotency-Key": "r5"})
    assert nothing_left.status == 409
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.is_balanced(unit) and await ledger.balance(unit, "provider:mtn") == 0
    me = await account_id(chopbar, SUPPORT)
    log = await (await chopbar.get("/api/v1/admin/audit", params={"entity": "payment", "ref": paid.reference}, headers=support)).json()
    asked = [e for e in log["items"] if e["trigger"] == "refund_requested"]
    assert [(e["actor"], e["reason"], e["data"]["amount_xaf"]) for e in asked] == [
        (f"support:{me}", "order never came", paid.amount_xaf - 1000), (f"support:{me}", "one dish missing", 1000),
    ]


async def test_an_unpaid_order_cannot_be_refunded(chopbar, db):
    waiting = await placed_order(db)  # mobile money, not approved yet
    cash = await placed_order(db, method="cash")
    admin = await signed_in(chopbar, ADMIN)
    for code in (waiting, cash):
        response = await chopbar.post(f"/api/v1/admin/orders/{code}/refund", json={"reason": "angry"},
                                      headers={**admin, "Idempotency-Key": f"u-{code}"})
        assert response.status == 409 and (await response.json())["error"]["code"] == "conflict"
    for body in ({"amount_xaf": 0, "reason": "x"}, {"amount_xaf": 100}, {"amount_xaf": 2**40, "reason": "x"}, {"reason": ""}):
        response = await chopbar.post(f"/api/v1/admin/orders/{waiting}/refund", json=body, headers={**admin, "Idempotency-Key": "b"})
        assert response.status == 400, body
    no_key = await chopbar.post(f"/api/v1/admin/orders/{waiting}/refund", json={"reason": "x"}, headers=admin)
    assert no_key.status == 400


async def test_the_audit_log_pages_newest_first(chopbar, db):
    codes = [await placed_order(db, method="cash") for _ in range(3)]
    support = await signed_in(chopbar, SUPPORT)
    seen, cursor = [], None
    while True:
        params = {"entity": "order", "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await (await chopbar.get("/api/v1/admin/audit", params=params, headers=support)).json()
        seen += page["items"]
        if (cursor := page["next"]) is None:
            break
    assert [e["ref"] for e in seen] == list(reversed(codes))
    assert all(e["trigger"] == "place" and e["entity"] == "order" for e in seen)
    assert [e["id"] for e in seen] == sorted((e["id"] for e in seen), reverse=True)
    one = await (await chopbar.get("/api/v1/admin/audit", params={"ref": codes[1]}, headers=support)).json()
    assert [e["ref"] for e in one["items"]] == [codes[1]]
    for junk in ({"entity": "x" * 21}, {"ref": "a\x00b"}, {"entity": "order\n"}, {"limit": "0"}):
        assert (await chopbar.get("/api/v1/admin/audit", params=junk, headers=support)).status == 400, junk
    assert (await chopbar.get("/api/v1/admin/audit", params={"cursor": "abc"}, headers=support)).status == 400
