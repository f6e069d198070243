"""The loyalty rules: tiers from the settings, what a basket can take, earning at the tier's rate,
and taking earned points back no further than the balance."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from chopbar.settings import Settings
from core import loyalty
from core.models import LoyaltyMovement, Order, Restaurant
from core.acceptance import remind_and_expire
from core.orders import LineRequest, Placement, Quote
from core.placing import place_order
from tests import demo
from tests.payments import placed_order

RULES = loyalty.LoyaltyRules()


def quote(food_xaf: int, fee_xaf: int) -> Quote:
    class Line:
        total_xaf = food_xaf

    return Quote(Restaurant(), (Line(),), 0, fee_xaf)


@pytest.mark.parametrize("earned,tier", [(0, "Bronze"), (299, "Bronze"), (300, "Silver"), (999, "Silver"), (5000, "Gold")])
def test_the_tier_is_the_highest_threshold_reached(earned, tier):
    assert loyalty.tier_for(earned, RULES).name_en == tier


def test_points_take_no_more_than_the_food_never_the_whole_order_nor_more_than_held():
    assert loyalty.most_usable(quote(2000, 600), 10_000, RULES) == 400  # the food: 2 000 XAF
    assert loyalty.most_usable(quote(2000, 0), 10_000, RULES) == 380  # a pickup: 100 XAF left to pay
    assert loyalty.most_usable(quote(2000, 600), 150, RULES) == 150
    assert loyalty.offer(quote(2000, 600), 99, RULES) == 0  # below the least one may spend: not offered
    priced = loyalty.priced_with(quote(2000, 600), 200, RULES)
    assert (priced.points_xaf, priced.total_xaf) == (1000, 1600)


def test_tiers_and_figures_come_from_the_settings():
    rules = Settings.from_env({"CHOPBAR_LOYALTY_TIERS": "Member/Membre:0:100,VIP:50:200", "CHOPBAR_LOYALTY_POINT_VALUE_XAF": "10",
                               "CHOPBAR_LOYALTY_REFERRAL_POINTS": "50"}).loyalty_rules()
    assert [(t.name_en, t.name_fr, t.threshold, t.earn_percent) for t in rules.tiers] == [
        ("Member", "Membre", 0, 100), ("VIP", "VIP", 50, 200)]
    assert (rules.point_value_xaf, rules.referral_points, rules.min_spend) == (10, 50, 100)


@pytest.mark.parametrize("tiers", ["Gold:1000", "Silver:300:125,Bronze:0:100", "Bronze:abc:100", ":0:100"])
def test_unreadable_tiers_stop_the_start_naming_the_variable(tiers):
    with pytest.raises(SystemExit, match="CHOPBAR_LOYALTY_TIERS"):
        Settings.from_env({"CHOPBAR_LOYALTY_TIERS": tiers})


async def _order(db, code: str) -> Order:
    async with db.unit() as unit:
        return await unit.session.scalar(select(Order).where(Order.code == code))


async def test_a_silver_customer_earns_a_quarter_more_and_once_per_order(db):
    order = await _order(db, await placed_order(db))
    async with db.unit() as unit:
        unit.session.add(LoyaltyMovement(account_id=order.account_id, kind="earn", points=300, created_at=unit.now()))
        unit.session.add(LoyaltyMovement(account_id=order.account_id, kind="earn", points=5000,
                                         created_at=unit.now() - timedelta(days=91)))  # out of the window
    async with db.unit() as unit:
        before = await loyalty.balance(unit, order.account_id)
        assert await loyalty.earn(unit, order, 10_000) == 125
        assert await loyalty.earn(unit, order, 10_000) == 0
        assert await loyalty.balance(unit, order.account_id) == before + 125


async def test_earned_points_already_spent_are_taken_back_only_down_to_zero(db):
    order = await _order(db, await placed_order(db, method="cash"))
    async with db.unit() as unit:
        held = await loyalty.balance(unit, order.account_id)
        await loyalty._move(unit, order.account_id, loyalty.SPEND, -held, None)  # whatever was there, spent
        await loyalty.earn(unit, order, 8_000)  # 80 points
        await loyalty._move(unit, order.account_id, loyalty.SPEND, -50, None)  # 50 of them spent elsewhere
    async with db.unit() as unit:
        stored = await unit.session.get(Order, order.id)
        await loyalty.called_off(unit, stored)
    async with db.unit() as unit:
        assert await loyalty.balance(unit, order.account_id) == 0
        assert await loyalty.ledger_sum(unit, order.account_id) == 0
        taken = await unit.session.scalar(select(LoyaltyMovement.points).where(
            LoyaltyMovement.order_id == order.id, LoyaltyMovement.kind == "take_back"))
        assert taken == -30


async def test_the_demo_customer_starts_with_a_balance_equal_to_its_rows(db):
    async with db.unit() as unit:
        account = await demo.account(unit, demo.CUSTOMER_FR.phone)
        assert await loyalty.balance(unit, account.id) == await loyalty.ledger_sum(unit, account.id)


async def test_an_order_that_expires_at_its_restaurant_gives_its_points_back(db, clock):
    async with db.unit() as unit:
        restaurant = await demo.restaurant(unit)
        customer = await demo.account(unit, demo.CUSTOMER_FR.phone)
        item = await demo.dish(unit, restaurant.id, with_options=False)
        await loyalty._move(unit, customer.id, loyalty.OPENING, 250, None)
        held = await loyalty.balance(unit, customer.id)
    async with db.unit() as unit:
        placed = await place_order(unit, Placement(
            customer=customer, restaurant_id=restaurant.id, lines=[LineRequest(item.id, 2)], payment_method="cash",
            channel="ussd", language="fr", points=200,
        ), tz="Africa/Douala")
    assert placed.points_spent == 200 and placed.total_xaf == placed.subtotal_xaf - 1000
    async with db.unit() as unit:
        assert await loyalty.balance(unit, customer.id) == held - 200
    clock.advance(seconds=301)
    async with db.unit() as unit:
        await remind_and_expire(unit, 300)
    async with db.unit() as unit:
        assert (await unit.session.get(Order, placed.id)).status == "EXPIRED"
        assert await loyalty.balance(unit, customer.id) == held == await loyalty.ledger_sum(unit, customer.id)
