"""The use cases called directly, as every channel calls them: plain data in, plain results out."""
import pytest
from sqlalchemy import func, select

from core.catalog import Catalog
from core.errors import BadInput, Forbidden, IllegalTransition, NotFound
from core.models import Cart, DeliveryJob, Driver, OutboxMessage
from core.orders import Destination, LineRequest
from core.use_cases import carts, driving, kitchen, ordering, paying, tracking
from state_machines.order import CANCELLABLE_BY_CUSTOMER
from tests import demo

TERMS = ordering.Terms(tz="Africa/Douala", payment_window_s=300)
BASTOS = Destination(city="Yaounde", quarter_text="Bastos", landmark="Face Total", lat=3.89237, lon=11.51148)


async def _setting(db):
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
        restaurant = await demo.restaurant(unit)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
    dish = next(d for d in catalog.dishes(restaurant.id) if d.available and not d.option_groups)
    return catalog, restaurant, customer, dish


async def _placed(db, *, method: str = "cash", destination: Destination | None = BASTOS) -> tuple:
    catalog, restaurant, customer, dish = await _setting(db)
    basket = ordering.Basket(restaurant.id, (LineRequest(dish.id, 2),), destination, method)
    placed = await ordering.place(db, catalog, basket, orderer=ordering.Orderer(account_id=customer.id), channel="app",
                                  terms=TERMS, remember_address=False)
    return placed, restaurant, customer, catalog


def _staff(restaurant) -> kitchen.Staff:
    return kitchen.Staff(restaurant_ids={restaurant.id}, actor=f"restaurant:{restaurant.id}:test")


def test_a_customer_may_cancel_what_the_restaurant_has_not_accepted():
    assert CANCELLABLE_BY_CUSTOMER == {"AWAITING_PAYMENT", "PENDING_RESTAURANT"}


async def test_the_snapshot_price_is_what_placing_charges(db):
    catalog, restaurant, customer, dish = await _setting(db)
    basket = ordering.Basket(restaurant.id, (LineRequest(dish.id, 3),), BASTOS)
    shown = ordering.price(catalog, basket)
    placed = await ordering.place(db, catalog, basket, orderer=ordering.Orderer(account_id=customer.id), channel="sms",
                                  terms=TERMS)
    assert (placed.order.subtotal_xaf, placed.order.total_xaf) == (shown.subtotal_xaf, shown.total_xaf)
    assert placed.order.status == "PENDING_RESTAURANT" and placed.wakes == ()


async def test_an_account_that_no_longer_exists_cannot_order(db):
    catalog, restaurant, _, dish = await _setting(db)
    basket = ordering.Basket(restaurant.id, (LineRequest(dish.id),), None)
    with pytest.raises(NotFound):
        await ordering.place(db, catalog, basket, orderer=ordering.Orderer(account_id=987654), channel="app", terms=TERMS)


async def test_a_customer_cancels_once_and_the_second_time_is_told_it_is_done(db):
    placed, restaurant, customer, _ = await _placed(db)
    first = await ordering.cancel(db, placed.order.code, account_id=customer.id, language="en", reason="changed my mind")
    again = await ordering.cancel(db, placed.order.code, account_id=customer.id, language="en", reason="again")
    assert first.done and not first.already and first.restaurant_told and placed.order.code in first.notice
    assert again.done and again.already and again.order.status == "CANCELLED"


async def test_an_accepted_order_is_not_cancelled_by_its_customer(db):
    placed, restaurant, customer, _ = await _placed(db)
    await kitchen.accept(db, placed.order.code, by=_staff(restaurant), minutes=20)
    refused = await ordering.cancel(db, placed.order.code, account_id=customer.id, language="fr", reason="late")
    assert not refused.done and refused.order.status == "ACCEPTED" and refused.notice == ""


async def test_someone_elses_order_cannot_be_cancelled_or_seen(db):
    placed, *_ = await _placed(db)
    async with db.unit() as unit:
        other = await demo.account(unit, demo.CUSTOMER_EN.phone)
    with pytest.raises(NotFound):
        await ordering.cancel(db, placed.order.code, account_id=other.id, language="en", reason="x")
    assert await ordering.customer_order(db, other.id, placed.order.code) is None
    with pytest.raises(NotFound):
        await tracking.visible_order(db, placed.order.code, tracking.Viewer(account_id=other.id))
    seen = await tracking.visible_order(db, placed.order.code, tracking.Viewer(account_id=other.id, sees_all=True))
    assert seen.code == placed.order.code


async def test_a_restaurant_answers_its_only_waiting_order_without_naming_it(db):
    placed, restaurant, *_ = await _placed(db)
    waiting = await kitchen.order_to_answer(db, None, by=_staff(restaurant))
    assert waiting.code == placed.order.code
    with pytest.raises(IllegalTransition):
        await kitchen.mark_ready(db, placed.order.code, by=_staff(restaurant))  # not accepted yet
    accepted = await kitchen.accept(db, None, by=_staff(restaurant), minutes=15)
    assert accepted.status == "ACCEPTED" and accepted.ready_in_minutes == 15


async def test_a_restaurant_cannot_answer_another_restaurants_order(db):
    placed, restaurant, *_ = await _placed(db)
    elsewhere = kitchen.Staff(restaurant_ids={restaurant.id + 1000}, actor="app:1")
    with pytest.raises(Forbidden):
        await kitchen.reject(db, placed.order.code, by=elsewhere, reason="closed")
    with pytest.raises(BadInput):
        await kitchen.reject(db, placed.order.code, by=_staff(restaurant), reason="  ")
    rejected = await kitchen.reject(db, placed.order.code, by=_staff(restaurant), reason="no gas")
    assert rejected.status == "REJECTED" and rejected.cancel_reason == "no gas"


async def test_reordering_places_the_same_dishes_at_the_same_place_once_per_key(db):
    placed, restaurant, customer, catalog = await _placed(db)
    again = await ordering.reorder(db, catalog, placed.order.code, account_id=customer.id, channel="app", terms=TERMS,
                                   origin_key="api:reorder:1")
    replay = await ordering.reorder(db, catalog, placed.order.code, account_id=customer.id, channel="app", terms=TERMS,
                                    origin_key="api:reorder:1")
    assert again.order.code != placed.order.code and replay.order.code == again.order.code
    assert [(l.item_id, l.quantity) for l in again.order.lines] == [(l.item_id, l.quantity) for l in placed.order.lines]
    assert again.order.quarter_text == placed.order.quarter_text


async def test_a_second_chance_is_refused_with_plain_values_when_none_stands(db):
    placed, restaurant, customer, _ = await _placed(db, method="mtn")
    with pytest.raises(paying.payment_retry.NoOffer) as refused:
        await paying.try_again(db, account_id=customer.id, code=placed.order.code, window_s=300)
    assert refused.value.order.code == placed.order.code and refused.value.why == "waiting"
    payment = await paying.payment_of(db, placed.order)
    assert (payment.method, payment.status, payment.amount_xaf) == ("mtn", "CREATED", placed.order.total_xaf)


async def test_checking_out_a_cart_places_its_order_and_empties_it_in_one_change(db):
    catalog, restaurant, customer, dish = await _setting(db)
    await carts.replace(db, catalog, customer.id, restaurant.id, (LineRequest(dish.id, 2),))
    placed = await carts.check_out(
        db, catalog, customer.id, lambda restaurant_id, lines: ordering.Basket(restaurant_id, lines, None, "cash"),
        channel="app", terms=TERMS, origin_key="api:cart:1",
    )
    assert placed.order.fulfilment == "pickup" and (await carts.cart_of(db, customer.id)).lines == ()
    async with db.unit() as unit:
        assert await unit.session.scalar(select(func.count(Cart.id)).where(Cart.account_id == customer.id)) == 0
    with pytest.raises(BadInput, match="empty"):
        await carts.check_out(db, catalog, customer.id, lambda *_: None, channel="app", terms=TERMS, origin_key="k2")


async def test_a_driver_takes_an_offered_job_and_a_wrong_handover_code_counts(db):
    placed, restaurant, customer, _ = await _placed(db)
    await kitchen.accept(db, placed.order.code, by=_staff(restaurant), minutes=10)
    async with db.unit() as unit:
        driver = await unit.session.scalar(select(Driver).join(Driver.account).where(Driver.city == "Yaounde"))
        job = await unit.session.scalar(select(DeliveryJob).order_by(DeliveryJob.id.desc()))
        job.offered_to = [driver.account_id]
        driver_id = driver.account_id
    which = driving.Job(code=placed.order.code)
    taken = await driving.take(db, driver_id, which)
    assert taken.status == "ASSIGNED" and taken.restaurant.name == restaurant.name and taken.cash_xaf == placed.order.total_xaf
    assert (await driving.current_job(db, driver_id)).id == taken.id
    await kitchen.mark_ready(db, placed.order.code, by=_staff(restaurant))
    await driving.pick_up(db, driver_id, driving.Job(job_id=taken.id))
    wrong = await driving.hand_over(db, driver_id, which, "0000")
    assert not wrong.done and wrong.tries_left == 2
    followed = await driving.followed(db, placed.order.code)
    assert followed.driver.account_id == driver_id and followed.job.status == "PICKED_UP"
    async with db.unit() as unit:
        told = await unit.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "delivery.on_the_way"))
    assert told == 1


async def test_an_account_without_a_driver_profile_has_no_jobs(db):
    _, _, customer, _ = await _setting(db)
    assert await driving.driver_of(db, customer.id) is None
    with pytest.raises(Forbidden):
        await driving.jobs(db, customer.id)
