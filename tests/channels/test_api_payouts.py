"""Payouts over REST: who may ask for one, list them, approve them and read the reconciliation;
everyone else is refused."""
from channels.keys import DATABASE
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_shopping import keyed
from tests.channels.test_payouts import driver_id, owe, restaurant_id

OWNER, STAFF, OTHER_OWNER = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone, "+237699100003"
CUSTOMER, DRIVER = demo.CUSTOMER_FR.phone, "+237670000011"
SUPPORT, ADMIN = "+237699000090", "+237677000099"


async def test_an_owner_asks_for_the_restaurants_payout_and_no_one_else_may(chopbar):
    db = chopbar.app[DATABASE]
    rid = await restaurant_id(db)
    await owe(db, "restaurant", rid, 12_000)
    for phone in (STAFF, OTHER_OWNER, CUSTOMER, DRIVER, SUPPORT, ADMIN):
        answer = await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(await sign_in(chopbar, phone), phone))
        assert answer.status == 403, phone
        assert (await answer.json())["error"]["code"] == "forbidden"
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "first"))
    assert answer.status == 200
    body = await answer.json()
    assert (body["outcome"], body["owed_xaf"], body["payout"]["kind"], body["payout"]["amount_xaf"]) == ("started", 12_000, "restaurant", 12_000)
    again = await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "second"))
    assert (await again.json())["outcome"] == "already_open"


async def test_a_driver_asks_for_their_own_payout_and_a_customer_may_not(chopbar):
    db = chopbar.app[DATABASE]
    await owe(db, "driver", await driver_id(db, DRIVER), 2_000)
    for phone in (CUSTOMER, SUPPORT):
        answer = await chopbar.post("/api/v1/payouts", json={}, headers=keyed(await sign_in(chopbar, phone), phone))
        assert answer.status == 403, phone
    answer = await chopbar.post("/api/v1/payouts", json={}, headers=keyed(await sign_in(chopbar, DRIVER), "d"))
    body = await answer.json()
    assert answer.status == 200 and body["outcome"] == "started" and body["payout"]["phone"] == DRIVER


async def test_a_bad_restaurant_id_is_a_400_naming_the_field(chopbar):
    owner = await sign_in(chopbar, OWNER)
    answer = await chopbar.post("/api/v1/payouts", json={"restaurant_id": "first"}, headers=keyed(owner, "bad"))
    assert answer.status == 400 and (await answer.json())["error"]["message"].startswith("restaurant_id:")


async def test_only_support_and_admins_list_payouts_and_only_admins_approve(chopbar):
    db = chopbar.app[DATABASE]
    rid = await restaurant_id(db)
    await owe(db, "restaurant", rid, 300_000)
    owner = await sign_in(chopbar, OWNER)
    payout = (await (await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "big"))).json())["payout"]
    assert payout["status"] == "AWAITING_APPROVAL"
    for phone in (OWNER, STAFF, CUSTOMER, DRIVER):
        tokens = await sign_in(chopbar, phone)
        assert (await chopbar.get("/api/v1/admin/payouts", headers=bearer(tokens))).status == 403, phone
        assert (await chopbar.get("/api/v1/admin/reconciliation", headers=bearer(tokens))).status == 403, phone
        assert (await chopbar.post(f"/api/v1/admin/payouts/{payout['id']}/approve", headers=bearer(tokens))).status == 403, phone
    support = await sign_in(chopbar, SUPPORT)
    listed = await chopbar.get("/api/v1/admin/payouts", params={"status": "AWAITING_APPROVAL"}, headers=bearer(support))
    assert [p["id"] for p in (await listed.json())["items"]] == [payout["id"]]
    assert (await chopbar.get("/api/v1/admin/payouts", params={"status": "nope"}, headers=bearer(support))).status == 400
    assert (await chopbar.post(f"/api/v1/admin/payouts/{payout['id']}/approve", headers=bearer(support))).status == 403
    admin = await sign_in(chopbar, ADMIN)
    assert (await chopbar.post("/api/v1/admin/payouts/999999/approve", headers=bearer(admin))).status == 404
    approved = await chopbar.post(f"/api/v1/admin/payouts/{payout['id']}/approve", headers=bearer(admin))
    assert approved.status == 200 and (await approved.json())["status"] == "APPROVED"


async def test_where_payouts_go_is_the_owners_number_until_they_set_another(chopbar):
    db = chopbar.app[DATABASE]
    rid = await restaurant_id(db)
    owner = await sign_in(chopbar, OWNER)
    here = await chopbar.get("/api/v1/payouts/account", params={"restaurant_id": rid}, headers=bearer(owner))
    assert (await here.json()) == {"kind": "restaurant", "beneficiary_id": rid, "phone": OWNER, "wallet": "mtn"}
    staff = await sign_in(chopbar, STAFF)
    refused = await chopbar.put("/api/v1/payouts/account", json={"restaurant_id": rid, "phone": STAFF}, headers=bearer(staff))
    assert refused.status == 403
    nexttel = await chopbar.put("/api/v1/payouts/account", json={"restaurant_id": rid, "phone": "+237661234567"}, headers=bearer(owner))
    assert nexttel.status == 400 and "not an MTN or Orange number" in (await nexttel.json())["error"]["message"]
    moved = await chopbar.put("/api/v1/payouts/account", json={"restaurant_id": rid, "phone": "6 99 12 34 56"}, headers=bearer(owner))
    assert (await moved.json())["phone"] == "+237699123456" and (await moved.json())["wallet"] == "orange"
    await owe(db, "restaurant", rid, 5_000)
    asked = await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "moved"))
    assert (await asked.json())["payout"]["phone"] == "+237699123456"


async def test_a_driver_sets_their_own_payout_number(chopbar):
    driver = await sign_in(chopbar, DRIVER)
    moved = await chopbar.put("/api/v1/payouts/account", json={"phone": "+237655000777"}, headers=bearer(driver))
    assert moved.status == 200 and (await moved.json())["kind"] == "driver"
    customer = await sign_in(chopbar, CUSTOMER)
    assert (await chopbar.put("/api/v1/payouts/account", json={"phone": CUSTOMER}, headers=bearer(customer))).status == 403


async def test_an_admin_refuses_a_payout_and_the_money_stays_owed(chopbar):
    db = chopbar.app[DATABASE]
    rid = await restaurant_id(db)
    await owe(db, "restaurant", rid, 400_000)
    owner = await sign_in(chopbar, OWNER)
    payout = (await (await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "r1"))).json())["payout"]
    support, admin = await sign_in(chopbar, SUPPORT), await sign_in(chopbar, ADMIN)
    path = f"/api/v1/admin/payouts/{payout['id']}/refuse"
    assert (await chopbar.post(path, json={"reason": "check the orders"}, headers=bearer(support))).status == 403
    assert (await chopbar.post(path, json={}, headers=bearer(admin))).status == 400
    refused = await chopbar.post(path, json={"reason": "check the orders first"}, headers=bearer(admin))
    assert refused.status == 200 and (await refused.json())["status"] == "REFUSED"
    assert (await chopbar.post(f"/api/v1/admin/payouts/{payout['id']}/approve", headers=bearer(admin))).status == 409
    again = await (await chopbar.post("/api/v1/payouts", json={"restaurant_id": rid}, headers=keyed(owner, "r2"))).json()
    assert again["outcome"] == "awaiting_approval" and again["owed_xaf"] == 400_000 and again["payout"]["id"] != payout["id"]
