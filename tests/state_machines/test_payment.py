"""Every legal and every illegal change of the payment machine."""
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.payment import TRANSITIONS, PaymentFlow, PaymentStatus

S = PaymentStatus


def payment(status: S, *, amount: int = 5000, refunded: int = 0) -> SimpleNamespace:
    return SimpleNamespace(status=status.value, reference="ref-1", amount_xaf=amount, refunded_xaf=refunded)


LEGAL = [
    ("request", S.CREATED, S.PENDING, {}),
    ("lose_track", S.CREATED, S.UNKNOWN, {}),
    ("lose_track", S.PENDING, S.UNKNOWN, {}),
    ("resume", S.UNKNOWN, S.PENDING, {}),
    ("succeed", S.CREATED, S.SUCCEEDED, {}),
    ("succeed", S.PENDING, S.SUCCEEDED, {}),
    ("succeed", S.UNKNOWN, S.SUCCEEDED, {}),
    ("succeed_late", S.EXPIRED, S.SUCCEEDED, {}),
    ("fail", S.CREATED, S.FAILED, {}),
    ("fail", S.PENDING, S.FAILED, {}),
    ("fail", S.UNKNOWN, S.FAILED, {}),
    ("expire", S.CREATED, S.EXPIRED, {}),
    ("expire", S.PENDING, S.EXPIRED, {}),
    ("expire", S.UNKNOWN, S.EXPIRED, {}),
    ("refund", S.SUCCEEDED, S.REFUNDED, {"amount_xaf": 5000}),
    ("refund", S.SUCCEEDED, S.PARTIALLY_REFUNDED, {"amount_xaf": 1000}),
    ("refund", S.PARTIALLY_REFUNDED, S.REFUNDED, {"amount_xaf": 4000}),
    ("refund", S.PARTIALLY_REFUNDED, S.PARTIALLY_REFUNDED, {"amount_xaf": 1000}),
]


@pytest.mark.parametrize("trigger,source,dest,data", LEGAL)
def test_legal_change_moves_the_payment(trigger, source, dest, data):
    refunded = 1000 if source == S.PARTIALLY_REFUNDED else 0
    record = payment(source, refunded=refunded)
    assert PaymentFlow(record).fire(trigger, **data) is True
    assert record.status == dest.value


def test_the_legal_table_covers_every_row_of_the_machine():
    pairs = {(row[0], src) for row in TRANSITIONS for src in (row[1] if isinstance(row[1], list) else [row[1]])}
    assert pairs == {(t, s) for t, s, *_ in LEGAL}


ILLEGAL = [(t, s) for t in PaymentFlow.triggers() for s in S if s not in PaymentFlow.sources(t)]


@pytest.mark.parametrize("trigger,state", ILLEGAL)
def test_illegal_change_is_refused(trigger, state):
    record = payment(state)
    with pytest.raises(TransitionRefused):
        PaymentFlow(record).fire(trigger, amount_xaf=100)
    assert record.status == state.value


def test_a_failed_payment_can_never_become_paid():
    for trigger in ("succeed", "succeed_late"):
        with pytest.raises(TransitionRefused):
            PaymentFlow(payment(S.FAILED)).fire(trigger)
