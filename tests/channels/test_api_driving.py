"""The driver's app over REST: offers, take, pickup, handover code, failure, earnings; delivery tracking."""
import asyncio

from sqlalchemy import select

from channels.keys import DATABASE
from core.models import DeliveryJob, Order
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_delivery_by_sms import RESTAURANT, YAOUNDE_DRIVERS, accepted_order, dispatch, online, order
from tests.payments import placed_order
from tests.sms import text

DOUALA_DRIVER = next(p for p in demo.demo_data.PEOPLE if p.role == "driver" and p.city == "Douala")


async def job_row(chopbar, code: str) -> DeliveryJob:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(DeliveryJob).join(Order).where(Order.code == code))


async def offered(chopbar, method: str = "cash") -> tuple[str, dict[str, dict]]:
    """An accepted order offered to every Yaounde driver; returns its code and each driver's tokens."""
    drivers = {d.phone: await sign_in(chopbar, d.phone) for d in YAOUNDE_DRIVERS}
    await online(chopbar)
    code = await accepted_order(chopbar, method=method)
    assert await dispatch(chopbar) > 0
    return code, drivers


async def offer_of(chopbar, tokens: dict, code: str) -> dict:
    listing = await (await chopbar.get("/api/v1/driver/jobs", headers=bearer(tokens))).json()
    return next(j for j in listing["offered"] if j["order_code"] == code)


async def picked_up(chopbar) -> tuple[str, dict, int]:
    """A job taken and picked up by the first Yaounde driver: the order's code, the driver's tokens, the job's id."""
    code, drivers = await offered(chopbar)
    tokens = drivers[YAOUNDE_DRIVERS[0].phone]
    job_id = (await offer_of(chopbar, tokens, code))["id"]
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(tokens))).status == 200
    await text(chopbar, RESTAURANT, f"PRET {code}")
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/pickup", headers=bearer(tokens))).status == 200
    return code, tokens, job_id


async def test_a_driver_takes_picks_up_and_delivers_with_the_customers_code(chopbar):
    code, drivers = await offered(chopbar)
    tokens = drivers[YAOUNDE_DRIVERS[0].phone]
    offer = await offer_of(chopbar, tokens, code)
    placed = await order(chopbar, code)
    assert offer["status"] == "OFFERED" and offer["restaurant"]["name"] == demo.ALL_DAY_YAOUNDE.name
    assert offer["customer"]["quarter"] == "Bastos" and offer["fee_xaf"] == placed.delivery_fee_xaf
    assert offer["collect_cash"] is True and offer["cash_xaf"] == placed.total_xaf
    job_id = offer["id"]

    taken = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(tokens))
    assert taken.status == 200 and (await taken.json())["status"] == "ASSIGNED"
    listing = await (await chopbar.get("/api/v1/driver/jobs", headers=bearer(tokens))).json()
    assert [j["order_code"] for j in listing["active"]] == [code] and listing["offered"] == []

    too_soon = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/pickup", headers=bearer(tokens))
    assert too_soon.status == 409  # the food is not ready yet
    await text(chopbar, RESTAURANT, f"PRET {code}")
    picked = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/pickup", headers=bearer(tokens))
    assert picked.status == 200 and (await picked.json())["status"] == "PICKED_UP"

    handover = (await order(chopbar, code)).handover_code
    delivered = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/deliver", json={"code": handover}, headers=bearer(tokens))
    assert delivered.status == 200 and (await delivered.json())["status"] == "DELIVERED"
    assert (await job_row(chopbar, code)).status == "DELIVERED"
    assert (await order(chopbar, code)).status == "COMPLETED"  # delivered, then settled and completed at once
    after = await (await chopbar.get("/api/v1/driver/jobs", headers=bearer(tokens))).json()
    assert after == {"offered": [], "active": []}


async def test_a_wrong_handover_code_is_refused_with_400_and_counted(chopbar):
    code, tokens, job_id = await picked_up(chopbar)
    handover = (await order(chopbar, code)).handover_code
    wrong = "0000" if handover != "0000" else "1111"
    refused = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/deliver", json={"code": wrong}, headers=bearer(tokens))
    assert refused.status == 400
    error = (await refused.json())["error"]
    assert error["code"] == "bad_input" and "wrong handover code" in error["message"] and "2 tries left" in error["message"]
    job = await job_row(chopbar, code)
    assert job.wrong_codes == 1 and job.status == "PICKED_UP"
    right = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/deliver", json={"code": handover}, headers=bearer(tokens))
    assert right.status == 200


async def test_a_customer_calling_driver_endpoints_gets_403(chopbar):
    code, drivers = await offered(chopbar)
    job_id = (await offer_of(chopbar, drivers[YAOUNDE_DRIVERS[0].phone], code))["id"]
    customer = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    assert (await chopbar.get("/api/v1/driver/jobs", headers=bearer(customer))).status == 403
    assert (await chopbar.get("/api/v1/driver/earnings", headers=bearer(customer))).status == 403
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(customer))).status == 403
    assert (await chopbar.get("/api/v1/driver/jobs")).status == 401


async def test_a_driver_cannot_act_on_another_drivers_job(chopbar):
    code, drivers = await offered(chopbar)
    first, second = (drivers[d.phone] for d in YAOUNDE_DRIVERS[:2])
    job_id = (await offer_of(chopbar, first, code))["id"]
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(first))).status == 200
    late = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(second))
    assert late.status == 409  # offered too, but taken first by someone else
    await text(chopbar, RESTAURANT, f"PRET {code}")
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/pickup", headers=bearer(second))).status == 403
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/deliver", json={"code": "1234"},
                               headers=bearer(second))).status == 403
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/fail", json={}, headers=bearer(second))).status == 403
    stranger = await sign_in(chopbar, DOUALA_DRIVER.phone)  # never offered this job
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(stranger))).status == 403
    job = await job_row(chopbar, code)
    assert job.status == "ASSIGNED" and job.wrong_codes == 0


async def test_unknown_jobs_and_bad_bodies_get_4xx(chopbar):
    code, tokens, job_id = await picked_up(chopbar)
    assert (await chopbar.post("/api/v1/driver/jobs/999999/take", headers=bearer(tokens))).status == 404
    assert (await chopbar.post("/api/v1/driver/jobs/abc/take", headers=bearer(tokens))).status == 404
    assert (await chopbar.post("/api/v1/driver/jobs/92250824568815808/take", headers=bearer(tokens))).status == 404
    deliver = f"/api/v1/driver/jobs/{job_id}/deliver"
    assert (await chopbar.post(deliver, json={}, headers=bearer(tokens))).status == 400
    assert (await chopbar.post(deliver, json={"code": "   "}, headers=bearer(tokens))).status == 400
    assert (await chopbar.post(deliver, data=b"{not json", headers=bearer(tokens))).status == 400
    too_long = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/fail", json={"reason": "x" * 161}, headers=bearer(tokens))
    assert too_long.status == 400
    nul = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/fail", json={"reason": "gone\u0000"}, headers=bearer(tokens))
    assert nul.status == 400 and "printable" in (await nul.json())["error"]["message"]
    assert (await job_row(chopbar, code)).wrong_codes == 0  # malformed bodies are not tries


async def test_a_failed_delivery_over_the_api_fails_the_order(chopbar):
    code, tokens, job_id = await picked_up(chopbar)
    failed = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/fail", json={"reason": "Nobody answers"}, headers=bearer(tokens))
    assert failed.status == 200 and (await failed.json())["status"] == "FAILED"
    assert (await order(chopbar, code)).status == "DELIVERY_FAILED"
    again = await chopbar.post(f"/api/v1/driver/jobs/{job_id}/fail", json={}, headers=bearer(tokens))
    assert again.status == 409


async def test_delivery_tracking_is_visible_to_the_customer_and_404_to_a_stranger(chopbar):
    code, drivers = await offered(chopbar)
    customer = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    tracking = f"/api/v1/orders/{code}/delivery"
    waiting = await (await chopbar.get(tracking, headers=bearer(customer))).json()
    assert waiting["status"] == "OFFERED" and waiting["driver"] is None
    driver = YAOUNDE_DRIVERS[0]
    job_id = (await offer_of(chopbar, drivers[driver.phone], code))["id"]
    await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(drivers[driver.phone]))
    taken = await (await chopbar.get(tracking, headers=bearer(customer))).json()
    assert taken["status"] == "ASSIGNED" and taken["fee_xaf"] == (await order(chopbar, code)).delivery_fee_xaf
    assert taken["driver"] == {"first_name": driver.name.split()[0], "phone": driver.phone}
    stranger = await sign_in(chopbar, demo.CUSTOMER_EN.phone)
    hidden = await chopbar.get(tracking, headers=bearer(stranger))
    assert hidden.status == 404 and (await hidden.json())["error"]["code"] == "not_found"


async def test_tracking_an_order_without_a_delivery_job_is_404_with_a_reason(chopbar):
    customer = await sign_in(chopbar, demo.CUSTOMER_FR.phone)
    pending = await placed_order(chopbar.app[DATABASE], method="cash")
    not_yet = await chopbar.get(f"/api/v1/orders/{pending}/delivery", headers=bearer(customer))
    assert not_yet.status == 404 and "when the restaurant accepts" in (await not_yet.json())["error"]["message"]
    restaurant_id, item_id = await menu_item(chopbar)
    body = {**order_body(restaurant_id, item_id), "fulfilment": "pickup", "address": None}
    placed = await chopbar.post("/api/v1/orders", json=body, headers={**bearer(customer), "Idempotency-Key": "pickup-1"})
    pickup = (await placed.json())["code"]
    await text(chopbar, RESTAURANT, f"OUI {pickup} 15")
    collected = await chopbar.get(f"/api/v1/orders/{pickup}/delivery", headers=bearer(customer))
    assert collected.status == 404 and "collected at the restaurant" in (await collected.json())["error"]["message"]


async def test_earnings_count_a_delivery_made_in_the_app(chopbar):
    code, tokens, job_id = await picked_up(chopbar)
    before = await (await chopbar.get("/api/v1/driver/earnings", headers=bearer(tokens))).json()
    assert before == {"today_jobs": 0, "today_xaf": 0, "week_jobs": 0, "week_xaf": 0}
    handover = (await order(chopbar, code)).handover_code
    await chopbar.post(f"/api/v1/driver/jobs/{job_id}/deliver", json={"code": handover}, headers=bearer(tokens))
    fee = (await order(chopbar, code)).delivery_fee_xaf
    after = await (await chopbar.get("/api/v1/driver/earnings", headers=bearer(tokens))).json()
    assert fee > 0 and after == {"today_jobs": 1, "today_xaf": fee, "week_jobs": 1, "week_xaf": fee}


async def test_the_driver_holding_the_job_follows_the_order_live_and_others_do_not(chopbar):
    code, drivers = await offered(chopbar)
    first, second = (drivers[d.phone] for d in YAOUNDE_DRIVERS[:2])
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(first))).status == 404  # only offered
    job_id = (await offer_of(chopbar, first, code))["id"]
    assert (await chopbar.post(f"/api/v1/driver/jobs/{job_id}/take", headers=bearer(first))).status == 200
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(first))).status == 200
    assert (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(second))).status == 404
    socket = await chopbar.ws_connect(f"/api/v1/orders/{code}/ws", headers=bearer(first))
    seen = []
    while not seen or seen[-1]["change"] != "take":  # the story so far, up to the driver taking it
        seen.append(await asyncio.wait_for(socket.receive_json(), 5))
    await text(chopbar, RESTAURANT, f"PRET {code}")
    assert (await asyncio.wait_for(socket.receive_json(), 5))["status"] == "READY"
    await socket.close()
