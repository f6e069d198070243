"""Every legal and every illegal change of the delivery job machine."""
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.delivery import TRANSITIONS, DeliveryFlow, DeliveryStatus

S = DeliveryStatus
LEGAL = [(row[0], src, row[2]) for row in TRANSITIONS for src in (row[1] if isinstance(row[1], list) else [row[1]])]


@pytest.mark.parametrize("trigger,source,dest", LEGAL)
def test_legal_change_moves_the_job(trigger, source, dest):
    job = SimpleNamespace(status=source.value, id=1)
    assert DeliveryFlow(job).fire(trigger)
    assert job.status == dest.value


@pytest.mark.parametrize("trigger,state", [(t, s) for t in DeliveryFlow.triggers() for s in S if s not in DeliveryFlow.sources(t)])
def test_illegal_change_is_refused(trigger, state):
    job = SimpleNamespace(status=state.value, id=1)
    with pytest.raises(TransitionRefused):
        DeliveryFlow(job).fire(trigger)
    assert job.status == state.value


def test_a_delivered_job_cannot_be_cancelled():
    with pytest.raises(TransitionRefused):
        DeliveryFlow(SimpleNamespace(status="DELIVERED", id=1)).fire("cancel")
