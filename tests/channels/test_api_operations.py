"""What operations watch, over REST: live orders, alerts, an order's story, the business figures."""
import pytest

from tests import demo
from tests.channels.test_api_admin import ADMIN, OWNER, SUPPORT, signed_in
from tests.channels.test_ussd_africastalking import pickup_in_cash
from tests.ussd import gateway_for

READS = ["/api/v1/admin/live-orders", "/api/v1/admin/alerts", "/api/v1/admin/orders/123456/story",
         "/api/v1/admin/business"]


async def _ordered_by_ussd(chopbar, phone: str = "+237699555301") -> str:
    """A pickup paid at the counter, ordered by USSD, the session then ended: its order code."""
    session = gateway_for(chopbar).dial(phone)
    await session.open()
    await pickup_in_cash(session)
    await session.hang_up()
    orders = await (await chopbar.get("/api/v1/orders", headers=await signed_in(chopbar, phone))).json()
    return orders["items"][0]["code"]


@pytest.mark.parametrize("phone", [demo.CUSTOMER_FR.phone, OWNER], ids=["customer", "restaurant owner"])
async def test_only_support_and_admins_read_operations(chopbar, phone):
    headers = await signed_in(chopbar, phone)
    for path in READS:
        response = await chopbar.get(path, headers=headers)
        assert response.status == 403, (path, await response.text())


async def test_support_sees_a_ussd_order_live_then_alerted_with_its_story(chopbar, clock):
    code = await _ordered_by_ussd(chopbar)
    headers = await signed_in(chopbar, SUPPORT)
    live = await (await chopbar.get("/api/v1/admin/live-orders", headers=headers)).json()
    mine = next(o for o in live["items"] if o["code"] == code)
    assert mine["status"] == "PENDING_RESTAURANT" and mine["channel"] == "ussd" and mine["fulfilment"] == "pickup"
    assert (await (await chopbar.get("/api/v1/admin/alerts", headers=headers)).json())["unaccepted"] == []
    clock.advance(seconds=121)
    alerts = await (await chopbar.get("/api/v1/admin/alerts", headers=headers)).json()
    assert [(a["code"], a["kind"], a["waited_s"]) for a in alerts["unaccepted"]] == [(code, "unaccepted", 121)]
    story = await (await chopbar.get(f"/api/v1/admin/orders/{code}/story", headers=headers)).json()
    assert story["order"]["code"] == code and story["events"][0]["trigger"] == "place"
    assert [m["kind"] for m in story["messages"]] == ["order.new_for_restaurant"]


async def test_an_admin_reads_the_business_with_the_funnel_of_the_ended_session(chopbar):
    await _ordered_by_ussd(chopbar, "+237699555302")
    response = await chopbar.get("/api/v1/admin/business?days=3", headers=await signed_in(chopbar, ADMIN))
    seen = await response.json()
    assert response.status == 200 and len(seen["days"]) == 3 and seen["days"][-1]["orders"] == 1
    assert seen["orders"] == seen["orders_by_ussd"] == 1
    assert (seen["funnel"]["dials"], seen["funnel"]["placed"]) == (1, 1)


async def test_bad_reads_are_4xx_with_the_error_shape(chopbar):
    headers = await signed_in(chopbar, SUPPORT)
    for path, status in [("/api/v1/admin/business?days=0", 400), ("/api/v1/admin/live-orders?limit=999", 400),
                         ("/api/v1/admin/orders/123456/story", 404), ("/api/v1/admin/live-orders?city=%00", 400)]:
        response = await chopbar.get(path, headers=headers)
        assert response.status == status, (path, await response.text())
        assert set((await response.json())["error"]) == {"code", "message"}
