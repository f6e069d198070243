"""What the operations console reads: live orders with their age, the alerts, an order's story."""
import pytest
from sqlalchemy import select

from core.catalog import Catalog
from core.errors import BadInput, NotFound
from core.models import DeliveryJob, Driver, Order
from core.orders import Destination, LineRequest
from core.use_cases import driving, kitchen, operations, ordering
from tests import demo

TERMS = ordering.Terms(tz="Africa/Douala", payment_window_s=300)
BASTOS = Destination(city="Yaounde", quarter_text="Bastos", landmark="Face Total", lat=3.89237, lon=11.51148)


async def _placed(db, *, destination: Destination | None = BASTOS):
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
        restaurant = await demo.restaurant(unit)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
    dish = next(d for d in catalog.dishes(restaurant.id) if d.available and not d.option_groups)
    basket = ordering.Basket(restaurant.id, (LineRequest(dish.id, 1),), destination, "cash")
    placed = await ordering.place(db, catalog, basket, orderer=ordering.Orderer(account_id=customer.id), channel="ussd",
                                  terms=TERMS, remember_address=False)
    return placed.order, restaurant


def _staff(restaurant) -> kitchen.Staff:
    return kitchen.Staff(restaurant_ids={restaurant.id}, actor=f"restaurant:{restaurant.id}:test")


async def _picked_up(db, clock):
    """A delivery order accepted, taken by a Yaounde driver and picked up: (order code, driver id)."""
    order, restaurant = await _placed(db)
    await kitchen.accept(db, order.code, by=_staff(restaurant), minutes=10)
    async with db.unit() as unit:
        driver = await unit.session.scalar(select(Driver).where(Driver.city == "Yaounde").order_by(Driver.account_id))
        job = await unit.session.scalar(select(DeliveryJob).order_by(DeliveryJob.id.desc()))
        job.offered_to = [driver.account_id]
        driver_id = driver.account_id
    await driving.take(db, driver_id, driving.Job(code=order.code))
    await kitchen.mark_ready(db, order.code, by=_staff(restaurant))
    await driving.pick_up(db, driver_id, driving.Job(code=order.code))
    return order.code, driver_id


async def test_live_orders_show_each_order_under_way_with_its_state_and_age(db, clock):
    first, restaurant = await _placed(db)
    clock.advance(minutes=3)
    second, _ = await _placed(db, destination=None)
    await kitchen.accept(db, first.code, by=_staff(restaurant), minutes=15)
    clock.advance(seconds=30)
    live = await operations.live_orders(db)
    mine = [o for o in live if o.code in (first.code, second.code)]
    assert [o.code for o in mine] == [first.code, second.code]  # oldest first
    accepted, waiting = mine
    assert (accepted.status, accepted.restaurant, accepted.age_s, accepted.still_s) == ("ACCEPTED", restaurant.name, 210, 30)
    assert accepted.delivery == "UNASSIGNED" and accepted.driver_phone is None
    assert (waiting.status, waiting.age_s, waiting.delivery, waiting.fulfilment) == ("PENDING_RESTAURANT", 30, None, "pickup")


async def test_a_finished_order_leaves_the_live_list(db):
    order, restaurant = await _placed(db)
    await kitchen.reject(db, order.code, by=_staff(restaurant), reason="no gas")
    assert order.code not in [o.code for o in await operations.live_orders(db)]
    assert await operations.live_orders(db, city="Douala") == []


async def test_live_orders_refuse_a_limit_out_of_range(db):
    with pytest.raises(BadInput):
        await operations.live_orders(db, limit=0)


async def test_an_order_nobody_accepts_is_an_alert_once_it_has_waited_past_the_threshold(db, clock):
    order, restaurant = await _placed(db)
    rules = operations.AlertRules(unaccepted_after_s=120)
    clock.advance(seconds=119)
    assert order.code not in [a.code for a in (await operations.alerts(db, rules)).unaccepted]
    clock.advance(seconds=2)
    found = (await operations.alerts(db, rules)).unaccepted
    alert = next(a for a in found if a.code == order.code)
    assert (alert.kind, alert.restaurant, alert.waited_s) == ("unaccepted", restaurant.name, 121)
    await kitchen.accept(db, order.code, by=_staff(restaurant), minutes=10)
    assert order.code not in [a.code for a in (await operations.alerts(db, rules)).unaccepted]


async def test_a_job_no_driver_takes_is_an_alert_after_its_threshold(db, clock):
    order, restaurant = await _placed(db)
    await kitchen.accept(db, order.code, by=_staff(restaurant), minutes=10)
    rules = operations.AlertRules(no_driver_after_s=300)
    assert (await operations.alerts(db, rules)).no_driver == ()
    clock.advance(seconds=301)
    alerts = await operations.alerts(db, rules)
    assert [(a.kind, a.code, a.status) for a in alerts.no_driver] == [("no_driver", order.code, "ACCEPTED")]
    assert alerts.count >= 1


async def test_wrong_handover_codes_and_failed_deliveries_are_alerts_with_the_driver(db, clock):
    code, driver_id = await _picked_up(db, clock)
    async with db.unit() as unit:
        real = (await unit.session.scalar(select(Order).where(Order.code == code))).handover_code
        driver_phone = (await unit.session.get(Driver, driver_id)).account.phone
    wrong = "1234" if real != "1234" else "4321"
    await driving.hand_over(db, driver_id, driving.Job(code=code), wrong)
    await driving.hand_over(db, driver_id, driving.Job(code=code), wrong)
    tried = (await operations.alerts(db)).wrong_codes
    assert [(a.code, a.wrong_codes, a.driver_phone) for a in tried] == [(code, 2, driver_phone)]
    await driving.fail(db, driver_id, driving.Job(code=code), "customer unreachable")
    alerts = await operations.alerts(db)
    assert alerts.wrong_codes == ()  # the delivery is over: it shows as failed instead
    failed = alerts.failed_deliveries
    assert [(a.code, a.status, a.reason, a.driver_phone) for a in failed] == [
        (code, "DELIVERY_FAILED", "customer unreachable", driver_phone)]


async def test_an_orders_story_holds_its_changes_handover_tries_and_messages_in_order(db, clock):
    code, driver_id = await _picked_up(db, clock)
    async with db.unit() as unit:
        real = (await unit.session.scalar(select(Order).where(Order.code == code))).handover_code
    await driving.hand_over(db, driver_id, driving.Job(code=code), "1234" if real != "1234" else "4321")
    await driving.hand_over(db, driver_id, driving.Job(code=code), real)
    story = await operations.order_story(db, code)
    assert story.order.code == code and story.order.status == "COMPLETED" and story.customer_phone == demo.CUSTOMER_FR.phone
    assert [(e.entity, e.trigger) for e in story.events] == [
        ("order", "place"), ("order", "accept"), ("delivery", "take"), ("order", "mark_ready"), ("delivery", "pick_up"),
        ("order", "pick_up"), ("handover", "wrong_code"), ("delivery", "hand_over"), ("order", "hand_over"),
        ("payment", "succeed"), ("order", "complete"),
    ]  # the cash payment's change is found under its own reference
    assert next(e for e in story.events if e.entity == "handover").data == {"tries": 1}
    assert [m.kind for m in story.messages] == [
        "order.new_for_restaurant", "order.accepted", "delivery.driver_coming", "order.ready", "delivery.on_the_way",
        "delivery.delivered", "rating.asked",
    ]
    on_the_way = next(m for m in story.messages if m.kind == "delivery.on_the_way")
    assert on_the_way.to_phone == demo.CUSTOMER_FR.phone


async def test_the_story_of_an_unknown_order_is_not_found(db):
    with pytest.raises(NotFound):
        await operations.order_story(db, "123456")


def test_alert_thresholds_are_not_negative():
    with pytest.raises(BadInput):
        operations.AlertRules(unaccepted_after_s=-1)
