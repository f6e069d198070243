"""Every legal and every illegal change of the order machine."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.order import TRANSITIONS, OrderFlow, OrderStatus

S = OrderStatus
NOW = datetime(2026, 11, 24, 11, 30, tzinfo=timezone.utc)
OFFER_STANDS = NOW + timedelta(minutes=10)


def order(status: S, *, method: str = "cash", fulfilment: str = "delivery", retry_until: datetime | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        status=status.value, payment_method=method, fulfilment=fulfilment, code="123453", payment_retry_until=retry_until,
    )


# (trigger, from, to, payment method, fulfilment): every row a legal move.
LEGAL = [
    ("place", S.DRAFT, S.PENDING_RESTAURANT, "cash", "delivery"),
    ("place", S.DRAFT, S.AWAITING_PAYMENT, "mtn", "delivery"),
    ("place", S.DRAFT, S.AWAITING_PAYMENT, "orange", "pickup"),
    ("place", S.DRAFT, S.AWAITING_PAYMENT, "card", "delivery"),
    ("confirm", S.AWAITING_PAYMENT, S.PENDING_RESTAURANT, "mtn", "delivery"),
    ("pay_cash", S.AWAITING_PAYMENT, S.PENDING_RESTAURANT, "orange", "delivery"),
    ("accept", S.PENDING_RESTAURANT, S.ACCEPTED, "cash", "delivery"),
    ("reject", S.PENDING_RESTAURANT, S.REJECTED, "cash", "delivery"),
    ("expire", S.PENDING_RESTAURANT, S.EXPIRED, "mtn", "delivery"),
    ("cancel", S.DRAFT, S.CANCELLED, "cash", "delivery"),
    ("cancel", S.AWAITING_PAYMENT, S.CANCELLED, "mtn", "delivery"),
    ("cancel", S.PENDING_RESTAURANT, S.CANCELLED, "cash", "delivery"),
    ("void", S.ACCEPTED, S.CANCELLED, "cash", "delivery"),
    ("void", S.PREPARING, S.CANCELLED, "cash", "delivery"),
    ("void", S.READY, S.CANCELLED, "cash", "pickup"),
    ("start", S.ACCEPTED, S.PREPARING, "cash", "delivery"),
    ("mark_ready", S.ACCEPTED, S.READY, "cash", "delivery"),
    ("mark_ready", S.PREPARING, S.READY, "cash", "delivery"),
    ("pick_up", S.READY, S.PICKED_UP, "cash", "delivery"),
    ("collect", S.READY, S.COLLECTED, "cash", "pickup"),
    ("hand_over", S.PICKED_UP, S.DELIVERED, "cash", "delivery"),
    ("fail_delivery", S.PICKED_UP, S.DELIVERY_FAILED, "cash", "delivery"),
    ("resend", S.DELIVERY_FAILED, S.READY, "mtn", "delivery"),
    ("write_off", S.DELIVERY_FAILED, S.CANCELLED, "cash", "delivery"),
    ("complete", S.DELIVERED, S.COMPLETED, "cash", "delivery"),
    ("complete", S.COLLECTED, S.COMPLETED, "cash", "pickup"),
]


@pytest.mark.parametrize("trigger,source,dest,method,fulfilment", LEGAL)
def test_legal_change_moves_the_order(trigger, source, dest, method, fulfilment):
    record = order(source, method=method, fulfilment=fulfilment, retry_until=OFFER_STANDS)
    assert OrderFlow(record).fire(trigger, now=NOW) is True
    assert record.status == dest.value


def test_the_legal_table_covers_every_row_of_the_machine():
    pairs = {(row[0], src) for row in TRANSITIONS for src in (row[1] if isinstance(row[1], list) else [row[1]])}
    assert pairs == {(t, s) for t, s, *_ in LEGAL}


ILLEGAL = [
    (trigger, state)
    for trigger in OrderFlow.triggers()
    for state in S
    if state not in OrderFlow.sources(trigger)
]


@pytest.mark.parametrize("trigger,state", ILLEGAL)
def test_illegal_change_is_refused_and_leaves_the_order_alone(trigger, state):
    record = order(state)
    with pytest.raises(TransitionRefused) as raised:
        OrderFlow(record).fire(trigger)
    assert record.status == state.value
    assert trigger in str(raised.value) and state.value in str(raised.value)


def test_unknown_trigger_is_refused():
    with pytest.raises(TransitionRefused):
        OrderFlow(order(S.DRAFT)).fire("teleport")


def test_guard_keeps_a_pickup_order_from_being_picked_up_by_a_driver():
    record = order(S.READY, fulfilment="pickup")
    assert OrderFlow(record).fire("pick_up") is False
    assert record.status == S.READY.value


def test_guard_keeps_a_delivery_order_from_being_collected_at_the_counter():
    record = order(S.READY, fulfilment="delivery")
    assert OrderFlow(record).fire("collect") is False
    assert record.status == S.READY.value


@pytest.mark.parametrize(
    "method,retry_until,now",
    [
        ("mtn", None, NOW),  # no second chance was offered
        ("mtn", OFFER_STANDS, OFFER_STANDS),  # the offer lapsed this very second
        ("mtn", OFFER_STANDS, OFFER_STANDS + timedelta(minutes=1)),
        ("card", OFFER_STANDS, NOW),  # cards get no second chance
        ("cash", OFFER_STANDS, NOW),
        ("mtn", OFFER_STANDS, None),  # asked without saying when
    ],
)
def test_guard_lets_an_order_switch_to_cash_only_while_its_second_chance_stands(method, retry_until, now):
    record = order(S.AWAITING_PAYMENT, method=method, retry_until=retry_until)
    assert OrderFlow(record).fire("pay_cash", now=now) is False
    assert record.status == S.AWAITING_PAYMENT.value


def test_final_states_have_no_way_out():
    from state_machines.order import FINAL

    for state in FINAL:
        assert not any(state in OrderFlow.sources(t) for t in OrderFlow.triggers())
