"""The promotion rules: when an offer holds, what a code takes off, why it is refused, and the
conditional UPDATE that gives a code's last use to one of two racing transactions."""
import asyncio
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from core import promotions as P
from core.models import PromoCode, RestaurantOffer

TUESDAY_NOON_UTC = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)  # 13:00 in Douala
TZ = "Africa/Douala"


def offer(**terms) -> RestaurantOffer:
    values = dict(id=1, restaurant_id=1, kind="percent", value=20, days="12345", starts_minute=12 * 60, ends_minute=14 * 60,
                  valid_from=None, valid_until=None, min_subtotal_xaf=0, active=True)
    return RestaurantOffer(**{**values, **terms})


def code(**terms) -> PromoCode:
    values = dict(id=7, code="TEST", restaurant_id=None, kind="percent", value=10, min_subtotal_xaf=0, starts_at=None,
                  ends_at=None, first_order_only=False, per_customer_limit=None, total_limit=None, uses=0, funded_by="platform",
                  active=True)
    return PromoCode(**{**values, **terms})


def apply(promo: PromoCode, *, subtotal=4000, fee=600, pickup=False, past=P.History(), beside=None) -> P.Discount:
    return P.code_discount(promo, restaurant_id=1, subtotal_xaf=subtotal, delivery_fee_xaf=fee, pickup=pickup, past=past,
                           at=TUESDAY_NOON_UTC, beside=beside)


@pytest.mark.parametrize("terms, holds", [
    ({}, True),
    ({"days": "67"}, False),  # weekends only
    ({"starts_minute": 13 * 60}, True),  # 13:00 local, inclusive
    ({"ends_minute": 13 * 60}, False),  # the end is not in the window
    ({"valid_until": date(2026, 11, 23)}, False),
    ({"valid_from": date(2026, 11, 24), "valid_until": date(2026, 11, 24)}, True),
    ({"active": False}, False),
])
def test_an_offer_holds_on_its_local_days_hours_and_dates(terms, holds):
    assert P.offer_holds(offer(**terms), TUESDAY_NOON_UTC, TZ) is holds


def test_an_offer_takes_its_share_of_the_food_only_above_its_minimum():
    assert P.offer_discount(offer(), 4000) == P.Discount(800, "restaurant", offer_id=1)
    assert P.offer_discount(offer(kind="fixed", value=5000), 4000).amount_xaf == 4000  # never more than the food
    assert P.offer_discount(offer(min_subtotal_xaf=5000), 4000) is None


def test_what_each_kind_of_code_takes_off():
    assert apply(code()).amount_xaf == 400
    assert apply(code(value=15), subtotal=2550).amount_xaf == 383  # half a franc up
    assert apply(code(kind="fixed", value=9000)).amount_xaf == 4000
    free = apply(code(kind="free_delivery", value=0, funded_by="restaurant"))
    assert (free.amount_xaf, free.free_delivery, free.funder, free.code) == (600, True, "restaurant", "TEST")


@pytest.mark.parametrize("promo, options, reason", [
    (code(active=False), {}, "expired"),
    (code(ends_at=TUESDAY_NOON_UTC), {}, "expired"),
    (code(starts_at=datetime(2026, 12, 1, tzinfo=timezone.utc)), {}, "not_yet"),
    (code(restaurant_id=2), {}, "not_here"),
    (code(kind="free_delivery"), {"pickup": True, "fee": 0}, "delivery_only"),
    (code(min_subtotal_xaf=5000), {}, "minimum"),
    (code(total_limit=3, uses=3), {}, "used_up"),
    (code(first_order_only=True), {"past": P.History(orders=1)}, "first_order"),
    (code(per_customer_limit=2), {"past": P.History(orders=5, with_code=2)}, "customer_limit"),
    (code(), {"beside": P.Discount(400, "restaurant", offer_id=1)}, "offer_better"),
])
def test_each_limit_refuses_with_its_reason(promo, options, reason):
    with pytest.raises(P.PromoRefused) as refused:
        apply(promo, **options)
    assert refused.value.reason == reason
    assert refused.value.text("fr") != refused.value.text("en")


def test_a_code_reads_as_typed():
    assert P.normal_code(" bien-venue ") == "BIENVENUE"


async def test_the_last_use_goes_to_one_of_two_racing_transactions(db, database_url, clock):
    """Both have read the code with a use left; the second UPDATE waits on the first's row lock,
    then finds none left."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time and one connection here: the race is PostgreSQL's")
    async with db.unit() as unit:
        unit.session.add(PromoCode(code="RACE", kind="percent", value=10, min_subtotal_xaf=0, first_order_only=False,
                                   total_limit=1, uses=0, funded_by="platform", active=True, created_at=clock()))
    async with db.unit() as first, db.unit() as second:
        one = await P.find(first, "race")
        other = await P.find(second, "race")
        assert one.uses == other.uses == 0
        assert await P.take_use(first, one.id)
        waiting = asyncio.create_task(P.take_use(second, other.id))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # held by the first transaction's row lock
        await first.session.commit()
        assert await waiting is False
    async with db.unit() as unit:
        assert await unit.session.scalar(select(PromoCode.uses).where(PromoCode.code == "RACE")) == 1
