"""The payout machine: approval above the limit, sending, paid, failed and given up."""
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.payout import PayoutFlow, PayoutStatus

S = PayoutStatus


def payout(status: S, *, amount: int = 5000, attempts: int = 0) -> SimpleNamespace:
    return SimpleNamespace(status=status.value, reference="ref-1", amount_xaf=amount, attempts=attempts)


def flow(record, *, above: int = 200_000, attempts: int = 3) -> PayoutFlow:
    return PayoutFlow(record, approval_above_xaf=above, max_attempts=attempts)


@pytest.mark.parametrize("amount,state", [(200_000, S.APPROVED), (200_001, S.AWAITING_APPROVAL)])
def test_a_payout_above_the_limit_waits_for_approval(amount, state):
    record = payout(S.REQUESTED, amount=amount)
    flow(record).fire("submit")
    assert record.status == state


def test_an_approved_payout_is_sent_then_paid():
    record = payout(S.AWAITING_APPROVAL)
    for trigger, state in (("approve", S.APPROVED), ("send", S.SENDING), ("confirm", S.PAID)):
        flow(record).fire(trigger)
        assert record.status == state


def test_a_failed_transfer_is_tried_again_until_its_attempts_are_spent():
    record = payout(S.SENDING, attempts=2)
    flow(record).fire("fail")
    assert record.status == S.FAILED
    flow(record).fire("send")
    record.attempts = 3
    flow(record).fire("fail")
    assert record.status == S.ABANDONED


def test_a_failed_payout_the_provider_paid_after_all_is_paid():
    record = payout(S.FAILED, attempts=1)
    flow(record).fire("confirm")
    assert record.status == S.PAID


@pytest.mark.parametrize("status,trigger", [
    (S.AWAITING_APPROVAL, "send"), (S.PAID, "send"), (S.PAID, "confirm"), (S.APPROVED, "approve"),
    (S.ABANDONED, "send"), (S.REQUESTED, "confirm"), (S.APPROVED, "confirm"),
])
def test_illegal_changes_are_refused(status, trigger):
    with pytest.raises(TransitionRefused):
        flow(payout(status)).fire(trigger)


def test_a_payout_waiting_for_approval_may_be_refused():
    record = payout(S.AWAITING_APPROVAL)
    flow(record).fire("refuse")
    assert record.status == S.REFUSED
    with pytest.raises(TransitionRefused):
        flow(payout(S.APPROVED)).fire("refuse")
