"""The usual basket's rule on plain order values: no database."""
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from core.order_views import LineView, OrderView
from core.usual import usual_of

pytestmark = pytest.mark.unit
AT = datetime(2026, 11, 24, 11, 30, tzinfo=timezone.utc)
TEMPLATE = OrderView(
    id=1, code="000000", status="DELIVERED", account_id=1, restaurant_id=1, channel="ussd", fulfilment="pickup",
    payment_method="cash", payer_phone=None, subtotal_xaf=0, delivery_fee_xaf=0, total_xaf=0, city="Yaounde",
    quarter_id=None, quarter_text="", landmark="", directions="", address_id=None, ready_in_minutes=None,
    cancelled_by=None, cancel_reason=None, created_at=AT, reached_restaurant_at=None, lines=(),
)


def line(item_id: int, quantity: int = 1, options: tuple[int, ...] = ()) -> LineView:
    return LineView(item_id, f"dish {item_id}", f"plat {item_id}", quantity, 1000, 1000 * quantity,
                    [{"id": o, "name_en": "", "name_fr": "", "price_delta_xaf": 0} for o in options])


def order(code: str, *lines: LineView, restaurant_id: int = 1, status: str = "DELIVERED") -> OrderView:
    return replace(TEMPLATE, code=code, restaurant_id=restaurant_id, status=status, lines=lines)


def test_a_basket_ordered_once_is_no_usual():
    assert usual_of([order("1", line(5, 2)), order("2", line(6))]) is None


def test_a_basket_ordered_twice_is_the_usual_offered_as_its_newest_order():
    found = usual_of([order("3", line(5, 2)), order("2", line(7)), order("1", line(5, 2))])
    assert (found.order.code, found.times) == ("3", 2)


def test_the_order_of_the_lines_does_not_make_another_basket_but_a_quantity_or_an_option_does():
    assert usual_of([order("2", line(6), line(5, 2)), order("1", line(5, 2), line(6))]).times == 2
    assert usual_of([order("2", line(5, 3)), order("1", line(5, 2))]) is None
    assert usual_of([order("2", line(5, 2, (9,))), order("1", line(5, 2))]) is None
    assert usual_of([order("2", line(5), restaurant_id=2), order("1", line(5))]) is None


def test_the_most_ordered_basket_wins_and_a_tie_goes_to_the_most_recent():
    newest_first = [order("6", line(7)), order("5", line(5)), order("4", line(7)), order("3", line(5)), order("2", line(5))]
    assert usual_of(newest_first).order.code == "5"
    tie = [order("4", line(7)), order("3", line(5)), order("2", line(7)), order("1", line(5))]
    assert usual_of(tie).order.code == "4"


def test_orders_that_did_not_go_ahead_do_not_count():
    for status in ("CANCELLED", "REJECTED", "EXPIRED", "DRAFT"):
        assert usual_of([order("2", line(5)), order("1", line(5), status=status)]) is None
    assert usual_of([order("2", line(5), status="PENDING_RESTAURANT"), order("1", line(5))]).times == 2


def test_only_the_last_twenty_orders_are_read():
    recent = [order(str(n), line(100 + n)) for n in range(20)]
    assert usual_of(recent + [order("old-1", line(5)), order("old-2", line(5))]) is None
