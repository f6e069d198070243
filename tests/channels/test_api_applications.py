"""Restaurants applying over REST and support's review: a pending restaurant, refused with a reason,
corrected and sent again, approved; the owner told by SMS each time; roles given on approval."""
import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE
from core.models import Account, OpeningHours, Restaurant
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_people import OTHER_OWNER, with_a_manager
from tests.sms import inbox, last
from core.sealing import blind

APPLICANT = "+237699555001"
CONSOLE, BACKUP, MANAGER, STAFF = "+237699555010", "+237677555011", "+237680555012", "+237655555013"
DEMO_CONSOLE, DEMO_STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
WEEK = [{"weekday": day, "opens": "10:00", "closes": "23:00"} for day in range(7)]


def application(**changes) -> dict:
    """An application as an owner fills it in: numbers as people write them, the quarter as typed."""
    body = {
        "name": "Chez Tante Rose", "city": "Yaounde", "quarter": "carrefour bastos", "landmark": "behind the Total station",
        "console_phone": "699 55 50 10", "backup_phone": "677555011",
        "people": [{"phone": "680 55 50 12", "role": "manager"}, {"phone": "+237 655 555 013", "role": "staff"}],
        "hours": WEEK, "cuisine": "Cameroonian", "language": "fr",
    }
    return {**body, **changes}


async def apply(chopbar, headers: dict, **changes):
    return await chopbar.post("/api/v1/restaurant-applications", json=application(**changes), headers=headers)


async def listed(chopbar, name: str) -> list[int]:
    found = await (await chopbar.get("/api/v1/restaurants", params={"name": name, "city": "Yaounde"})).json()
    return [r["id"] for r in found["items"]]


async def test_an_application_makes_a_pending_restaurant_nobody_can_order_from(chopbar):
    applicant = await signed_in(chopbar, APPLICANT)
    answer = await apply(chopbar, applicant)
    assert answer.status == 201, await answer.text()
    made = await answer.json()
    assert (made["status"], made["quarter"], made["city"], made["refusal_reason"]) == ("pending", "Bastos", "Yaounde", None)
    assert made["slug"] == "chez-tante-rose-bastos"
    assert await listed(chopbar, "tante rose") == []
    async with chopbar.app[DATABASE].unit() as unit:
        restaurant = await unit.session.get(Restaurant, made["restaurant_id"])
        assert (restaurant.phone, restaurant.backup_phone, restaurant.cuisine) == (CONSOLE, BACKUP, "Cameroonian")
        assert await unit.session.scalar(select(func.count(OpeningHours.id)).where(
            OpeningHours.restaurant_id == restaurant.id)) == 7
        manager = await demo.account(unit, MANAGER)
        assert manager is None  # the people get their accounts and roles on approval, not before
    mine = await (await chopbar.get("/api/v1/restaurant-applications/mine", headers=applicant)).json()
    assert [(a["id"], a["status"]) for a in mine["items"]] == [(made["id"], "pending")]
    theirs = await chopbar.get("/api/v1/restaurant-applications/mine", headers=await signed_in(chopbar, demo.CUSTOMER_EN.phone))
    assert await theirs.json() == {"items": []}
    pending = await (await chopbar.get("/api/v1/admin/restaurants", params={"status": "pending"},
                                       headers=await signed_in(chopbar, SUPPORT))).json()
    assert [r["id"] for r in pending["items"]] == [made["restaurant_id"]]
    again = await apply(chopbar, applicant, name="Chez Tante Rose 2", console_phone="699555020", backup_phone=None, people=[])
    assert again.status == 409 and "waiting for review" in (await again.json())["error"]["message"]


@pytest.mark.parametrize("changes,status,field", [
    ({"quarter": "Zzyzx"}, 400, "quarter"),
    ({"city": "Bamenda"}, 400, "city"),
    ({"console_phone": "123456"}, 400, "console_phone"),
    ({"console_phone": DEMO_CONSOLE}, 409, "console_phone"),
    ({"backup_phone": DEMO_STAFF}, 409, "backup_phone"),
    ({"backup_phone": "699555010"}, 400, "backup_phone"),
    ({"people": [{"phone": MANAGER, "role": "chef"}]}, 400, "people.0.role"),
    ({"people": [{"phone": MANAGER, "role": "staff"}, {"phone": "680555012", "role": "manager"}]}, 400, "people.1.phone"),
    ({"people": [{"phone": APPLICANT, "role": "manager"}]}, 400, "people.0.phone"),
    ({"people": [{"phone": "12345", "role": "staff"}]}, 400, "people.0.phone"),
    ({"hours": [{"weekday": 7, "opens": "10:00", "closes": "22:00"}]}, 400, "hours.0.weekday"),
    ({"hours": [{"weekday": 1, "opens": "10:00", "closes": "25:00"}]}, 400, "hours.0.closes"),
    ({"language": "de"}, 400, "language"),
    ({"name": " "}, 400, "name"),
    ({"cuisine": None}, 400, "cuisine"),
])
async def test_a_bad_application_is_refused_naming_the_field(chopbar, changes, status, field):
    answer = await apply(chopbar, await signed_in(chopbar, APPLICANT), **changes)
    assert answer.status == status, await answer.text()
    assert (await answer.json())["error"]["message"].startswith(field), await answer.text()
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(Restaurant.id)).where(Restaurant.status == "pending")) == 0


async def test_apply_refuse_apply_again_approve_and_the_owner_is_told_each_time(chopbar):
    applicant = await sign_in(chopbar, APPLICANT)
    made = await (await apply(chopbar, bearer(applicant), quarter="Bastoss")).json()  # a typo still finds Bastos
    rid, path = made["restaurant_id"], f"/api/v1/admin/restaurants/{made['restaurant_id']}"
    support, admin = await signed_in(chopbar, SUPPORT), await signed_in(chopbar, ADMIN)
    for phone in (APPLICANT, demo.CUSTOMER_FR.phone, OTHER_OWNER, await with_a_manager(chopbar), DEMO_STAFF):
        who = await signed_in(chopbar, phone)
        refused = await chopbar.post(f"{path}/refuse", json={"reason": "no"}, headers=who)
        assert refused.status == 403, await refused.text()
    for junk in ({}, {"reason": "  "}, {"reason": "x" * 161}):
        answer = await chopbar.post(f"{path}/refuse", json=junk, headers=support)
        assert answer.status == 400 and (await answer.json())["error"]["message"].startswith("reason")

    refused = await chopbar.post(f"{path}/refuse", json={"reason": "send photos of the kitchen"}, headers=support)
    assert refused.status == 200 and (await refused.json())["status"] == "refused"
    told = await last(chopbar, APPLICANT)
    assert "Chez Tante Rose n'est pas validé: send photos of the kitchen" in told
    mine = (await (await chopbar.get("/api/v1/restaurant-applications/mine", headers=bearer(applicant))).json())["items"]
    assert (mine[0]["status"], mine[0]["refusal_reason"]) == ("refused", "send photos of the kitchen")
    assert (await chopbar.post(f"{path}/approve", json={}, headers=admin)).status == 409  # it must apply again first
    assert (await chopbar.post(f"{path}/refuse", json={"reason": "twice"}, headers=support)).status == 409

    again_path = f"/api/v1/restaurant-applications/{made['id']}"
    stranger = await chopbar.put(again_path, json=application(), headers=await signed_in(chopbar, demo.CUSTOMER_EN.phone))
    assert stranger.status == 404
    again = await chopbar.put(again_path, json=application(landmark="opposite the pharmacy"), headers=bearer(applicant))
    assert again.status == 200, await again.text()
    assert ((await again.json())["status"], (await again.json())["refusal_reason"]) == ("pending", None)
    assert (await chopbar.put(again_path, json=application(), headers=bearer(applicant))).status == 409  # pending, not refused

    approved = await chopbar.post(f"{path}/approve", json={}, headers=support)  # support reviews: approves too
    assert approved.status == 200 and (await approved.json())["status"] == "approved"
    assert "Chez Tante Rose est validé et reçoit des commandes" in await last(chopbar, APPLICANT)
    assert "699555010" in await last(chopbar, APPLICANT)
    assert await listed(chopbar, "tante rose") == [rid]  # this process's catalog knows at once

    # The applicant's token predates their owner role: refused until refreshed, then it carries it.
    stale = await chopbar.get(f"/api/v1/restaurants/{rid}/people", headers=bearer(applicant))
    assert stale.status == 401 and "roles changed" in (await stale.json())["error"]["message"]
    fresh = await (await chopbar.post("/api/v1/auth/refresh", json={"refresh_token": applicant["refresh_token"]})).json()
    people = await chopbar.get(f"/api/v1/restaurants/{rid}/people", headers=bearer(fresh))
    assert people.status == 200, await people.text()
    assert [(p["phone"], p["role"]) for p in (await people.json())["people"]] == [
        (APPLICANT, "owner"), (MANAGER, "manager"), (STAFF, "staff")]
    async with chopbar.app[DATABASE].unit() as unit:
        manager = await unit.session.scalar(select(Account).where(Account.phone_key == blind(MANAGER)))
        assert (manager.language, sorted((r.role, r.restaurant_id) for r in manager.roles)) == (
            "fr", [("customer", None), ("manager", rid)])
    log = await (await chopbar.get("/api/v1/admin/audit", params={"entity": "restaurant", "ref": str(rid)},
                                   headers=support)).json()
    assert [(e["trigger"], e["from_state"], e["to_state"]) for e in reversed(log["items"])] == [
        ("apply", None, "pending"), ("refuse", "pending", "refused"), ("reapply", "refused", "pending"),
        ("approve", "pending", "approved")]


async def test_an_english_applicant_is_told_in_english(chopbar):
    applicant = await signed_in(chopbar, demo.CUSTOMER_EN.phone)
    made = await (await apply(chopbar, applicant, language="en")).json()
    await chopbar.post(f"/api/v1/admin/restaurants/{made['restaurant_id']}/refuse", json={"reason": "no hours on the sign"},
                       headers=await signed_in(chopbar, SUPPORT))
    assert "Chez Tante Rose was not approved: no hours on the sign." in await last(chopbar, demo.CUSTOMER_EN.phone)
    await chopbar.put(f"/api/v1/restaurant-applications/{made['id']}", json=application(language="en"), headers=applicant)
    await chopbar.post(f"/api/v1/admin/restaurants/{made['restaurant_id']}/approve", json={},
                       headers=await signed_in(chopbar, ADMIN))
    assert (await last(chopbar, demo.CUSTOMER_EN.phone)).startswith("Chopbar: Chez Tante Rose is approved and open to orders.")
    assert len(await inbox(chopbar, CONSOLE)) == 0  # the owner is told, not the kitchen's phone


async def test_suspending_and_approving_again_gives_no_roles_twice_and_sends_no_sms(chopbar):
    admin = await signed_in(chopbar, ADMIN)
    made = await (await apply(chopbar, await signed_in(chopbar, APPLICANT))).json()
    path = f"/api/v1/admin/restaurants/{made['restaurant_id']}"
    assert (await chopbar.post(f"{path}/suspend", json={"reason": "not yet"}, headers=admin)).status == 409  # pending
    await chopbar.post(f"{path}/approve", json={}, headers=admin)
    told = len(await inbox(chopbar, APPLICANT))
    assert (await chopbar.post(f"{path}/suspend", json={"reason": "hygiene"}, headers=admin)).status == 200
    assert await listed(chopbar, "tante rose") == []
    assert (await chopbar.post(f"{path}/approve", json={}, headers=admin)).status == 200
    assert await listed(chopbar, "tante rose") == [made["restaurant_id"]]
    assert len(await inbox(chopbar, APPLICANT)) == told
