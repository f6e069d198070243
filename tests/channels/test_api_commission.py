"""A restaurant's own commission, set by an admin beside the tiers: every split uses it instead."""
import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core import ledger
from core.models import AuditEvent, Restaurant
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_api_people import OTHER_OWNER, STAFF, with_a_manager
from tests.channels.test_delivery_by_sms import order, picked_up_order
from tests.sms import text

OWNER = demo.ALL_DAY_YAOUNDE.phone


async def restaurant_id(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.restaurant(unit)).id


async def test_only_an_admin_sets_a_commission(chopbar):
    path = f"/api/v1/admin/restaurants/{await restaurant_id(chopbar)}/commission"
    for phone in (demo.CUSTOMER_FR.phone, OWNER, OTHER_OWNER, await with_a_manager(chopbar), STAFF, SUPPORT):
        answer = await chopbar.put(path, json={"percent": 5}, headers=await signed_in(chopbar, phone))
        assert answer.status == 403, phone
    answer = await chopbar.put(path, json={"percent": 5}, headers=await signed_in(chopbar, ADMIN))
    assert answer.status == 200, await answer.text()
    assert ((await answer.json())["commission_percent"], (await answer.json())["tier_percent"]) == (5, 10)


@pytest.mark.parametrize("body", [{}, {"percent": -1}, {"percent": 51}, {"percent": "ten"}, {"percent": 12.5}])
async def test_a_commission_outside_0_to_50_is_400_naming_the_field(chopbar, body):
    path = f"/api/v1/admin/restaurants/{await restaurant_id(chopbar)}/commission"
    answer = await chopbar.put(path, json=body, headers=await signed_in(chopbar, ADMIN))
    assert answer.status == 400 and (await answer.json())["error"]["message"].startswith("percent"), await answer.text()


async def test_an_unknown_restaurant_is_404(chopbar):
    answer = await chopbar.put("/api/v1/admin/restaurants/999999/commission", json={"percent": 5},
                               headers=await signed_in(chopbar, ADMIN))
    assert answer.status == 404


async def test_a_delivered_order_is_split_with_the_restaurants_own_commission_then_the_tiers_again(chopbar):
    rid, admin = await restaurant_id(chopbar), await signed_in(chopbar, ADMIN)
    path = f"/api/v1/admin/restaurants/{rid}/commission"
    assert (await chopbar.put(path, json={"percent": 7}, headers=admin)).status == 200
    code, driver = await picked_up_order(chopbar)
    await text(chopbar, driver, f"LIVRE {code} {(await order(chopbar, code)).handover_code}")
    done = await order(chopbar, code)
    assert done.status == "COMPLETED"
    seven = (done.subtotal_xaf * 7 + 50) // 100
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balance(unit, "platform") == -seven
        assert await ledger.balance(unit, f"restaurant:{rid}") == -(done.subtotal_xaf - seven)
        assert await ledger.is_balanced(unit)
    back = await chopbar.put(path, json={"percent": None}, headers=admin)
    assert (await back.json())["commission_percent"] is None
    async with chopbar.app[DATABASE].unit() as unit:
        assert (await unit.session.get(Restaurant, rid)).commission_percent is None
        log = list(await unit.session.scalars(select(AuditEvent).where(AuditEvent.trigger == "commission_set")
                                              .order_by(AuditEvent.id)))
        assert [(e.data, e.actor.split(":")[0]) for e in log] == [({"before": None, "after": 7}, "admin"),
                                                                  ({"before": 7, "after": None}, "admin")]
    code, driver = await picked_up_order(chopbar)
    await text(chopbar, driver, f"LIVRE {code} {(await order(chopbar, code)).handover_code}")
    second = await order(chopbar, code)
    tier = (second.subtotal_xaf * 10 + 50) // 100  # Maman Ngo is over 500 orders: 10%
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balance(unit, "platform") == -(seven + tier)
