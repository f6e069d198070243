"""The driver's standing and the support ticket machines: every legal move, and what they refuse."""
from types import SimpleNamespace

import pytest

from state_machines.driver import DriverFlow, DriverStatus as D
from state_machines.flow import TransitionRefused
from state_machines.ticket import TicketFlow, TicketStatus as T

DRIVER_LEGAL = [
    ("approve", D.APPLIED, D.APPROVED), ("refuse", D.APPLIED, D.REFUSED), ("reapply", D.REFUSED, D.APPLIED),
    ("suspend", D.APPROVED, D.SUSPENDED), ("reactivate", D.SUSPENDED, D.APPROVED),
]
TICKET_LEGAL = [
    ("answer", T.OPEN, T.WAITING), ("answer", T.WAITING, T.WAITING), ("write", T.WAITING, T.OPEN),
    ("solve", T.OPEN, T.SOLVED), ("solve", T.WAITING, T.SOLVED), ("reopen", T.SOLVED, T.OPEN),
]


def driver(status: D) -> SimpleNamespace:
    return SimpleNamespace(status=status.value, account_id=7, account=SimpleNamespace(phone="+237699000001"))


@pytest.mark.parametrize("trigger,source,dest", DRIVER_LEGAL)
def test_each_legal_move_of_a_driver(trigger, source, dest):
    record = driver(source)
    assert DriverFlow(record).fire(trigger) is True and record.status == dest.value


@pytest.mark.parametrize("trigger,source,dest", TICKET_LEGAL)
def test_each_legal_move_of_a_ticket(trigger, source, dest):
    record = SimpleNamespace(status=source.value, id=3)
    assert TicketFlow(record).fire(trigger) is True and record.status == dest.value


def test_every_other_move_is_refused_and_changes_nothing():
    for flow, states, legal, make in (
        (DriverFlow, D, DRIVER_LEGAL, driver), (TicketFlow, T, TICKET_LEGAL, lambda s: SimpleNamespace(status=s.value, id=3)),
    ):
        allowed = {(t, s) for t, s, _ in legal}
        for trigger in flow.triggers():
            for state in states:
                if (trigger, state) in allowed:
                    continue
                record = make(state)
                with pytest.raises(TransitionRefused):
                    flow(record).fire(trigger)
                assert record.status == state.value


def test_a_refused_driver_names_the_phone():
    with pytest.raises(TransitionRefused, match=r"driver \+237699000001 is APPLIED: cannot suspend"):
        DriverFlow(driver(D.APPLIED)).fire("suspend")
