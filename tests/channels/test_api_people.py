"""A restaurant's people over REST: only its owner lists and replaces its managers, staff and
console numbers; those taken off lose their roles and their tokens with them."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Account, AuditEvent, Restaurant
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from core.sealing import blind

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
NEW_MANAGER, NEW_STAFF, NEW_BACKUP = "+237680555112", "+237655555113", "+237699555114"
OTHER_OWNER = next(r for r in demo.demo_data.RESTAURANTS if r.city == "Douala" and demo.open_all_day(r)).phone
MANAGER = "+237680555199"


async def restaurant_id(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.restaurant(unit)).id


async def with_a_manager(chopbar) -> str:
    """The demo restaurant's owner names a manager (its staff kept); returns the manager's number."""
    rid = await restaurant_id(chopbar)
    body = people((MANAGER, "manager"), (STAFF, "staff"))
    answer = await chopbar.put(f"/api/v1/restaurants/{rid}/people", json=body, headers=await signed_in(chopbar, OWNER))
    assert answer.status == 200, await answer.text()
    return MANAGER


def people(*named: tuple[str, str], console: str = OWNER, backup: str | None = STAFF) -> dict:
    return {"console_phone": console, "backup_phone": backup, "people": [{"phone": p, "role": r} for p, r in named]}


async def test_the_owner_lists_the_people_and_console_numbers(chopbar):
    rid = await restaurant_id(chopbar)
    answer = await chopbar.get(f"/api/v1/restaurants/{rid}/people", headers=await signed_in(chopbar, OWNER))
    assert answer.status == 200, await answer.text()
    assert await answer.json() == {
        "restaurant_id": rid, "console_phone": OWNER, "backup_phone": STAFF,
        "people": [{"phone": OWNER, "role": "owner", "name": demo.ALL_DAY_YAOUNDE.name},
                   {"phone": STAFF, "role": "staff", "name": demo.ALL_DAY_YAOUNDE.name}],
    }


async def test_only_the_owner_may_see_or_change_the_people(chopbar):
    path = f"/api/v1/restaurants/{await restaurant_id(chopbar)}/people"
    manager = await with_a_manager(chopbar)
    for phone in (demo.CUSTOMER_FR.phone, OTHER_OWNER, manager, STAFF, SUPPORT, ADMIN):
        who = await signed_in(chopbar, phone)
        for method, body in (("GET", None), ("PUT", people())):
            answer = await chopbar.request(method, path, json=body, headers=who)
            assert answer.status == 403, (phone, method, await answer.text())
            assert "owner" in (await answer.json())["error"]["message"]
    assert (await chopbar.get(path, headers=await signed_in(chopbar, OWNER))).status == 200


async def test_replacing_the_people_gives_the_new_roles_and_takes_the_old_ones_with_their_tokens(chopbar):
    rid = await restaurant_id(chopbar)
    owner, staff = await signed_in(chopbar, OWNER), await signed_in(chopbar, STAFF)
    assert (await chopbar.get(f"/api/v1/restaurants/{rid}/orders", headers=staff)).status == 200
    body = people((NEW_MANAGER, "manager"), ("655 55 51 13", "staff"), backup="699555114")
    answer = await chopbar.put(f"/api/v1/restaurants/{rid}/people", json=body, headers=owner)
    assert answer.status == 200, await answer.text()
    assert [(p["phone"], p["role"]) for p in (await answer.json())["people"]] == [
        (OWNER, "owner"), (NEW_MANAGER, "manager"), (NEW_STAFF, "staff")]
    assert (await answer.json())["backup_phone"] == NEW_BACKUP
    stale = await chopbar.get(f"/api/v1/restaurants/{rid}/orders", headers=staff)
    assert stale.status == 401 and "roles changed" in (await stale.json())["error"]["message"]
    manager = await signed_in(chopbar, NEW_MANAGER)
    assert (await chopbar.get(f"/api/v1/restaurants/{rid}/orders", headers=manager)).status == 200
    hours = {"hours": [{"weekday": 0, "opens": "08:00", "closes": "20:00"}]}
    assert (await chopbar.put(f"/api/v1/restaurants/{rid}/hours", json=hours, headers=manager)).status == 200
    async with chopbar.app[DATABASE].unit() as unit:
        removed = await unit.session.scalar(select(Account).where(Account.phone_key == blind(STAFF)))
        assert [(r.role, r.restaurant_id) for r in removed.roles] == [("customer", None)]
        restaurant = await unit.session.get(Restaurant, rid)
        assert (restaurant.phone, restaurant.backup_phone) == (OWNER, NEW_BACKUP)
        changed = await unit.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "people_changed"))
        assert changed.data["after"]["people"] == [[OWNER, "owner"], [NEW_MANAGER, "manager"], [NEW_STAFF, "staff"]]
        assert changed.actor.startswith("app:")


@pytest.mark.parametrize("body,status,field", [
    (people(console=OTHER_OWNER), 409, "console_phone"),
    (people(backup=OTHER_OWNER), 409, "backup_phone"),
    (people(backup=OWNER), 400, "backup_phone"),
    (people(console="12345"), 400, "console_phone"),
    (people(("12345", "staff")), 400, "people.0.phone"),
    (people((NEW_STAFF, "owner")), 400, "people.0.role"),
    (people((NEW_STAFF, "staff"), (NEW_STAFF, "manager")), 400, "people.1.phone"),
    (people((OWNER, "manager")), 400, "people"),
    ({"people": []}, 400, "console_phone"),
])
async def test_bad_people_are_refused_naming_the_field_and_change_nothing(chopbar, body, status, field):
    rid = await restaurant_id(chopbar)
    answer = await chopbar.put(f"/api/v1/restaurants/{rid}/people", json=body, headers=await signed_in(chopbar, OWNER))
    assert answer.status == status, await answer.text()
    assert (await answer.json())["error"]["message"].startswith(field), await answer.text()
    async with chopbar.app[DATABASE].unit() as unit:
        kept = await unit.session.scalar(select(Account).where(Account.phone_key == blind(STAFF)))
        assert [(r.role, r.restaurant_id) for r in kept.roles] == [("staff", rid)]
