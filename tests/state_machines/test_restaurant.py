"""Every legal and every illegal change of the restaurant lifecycle."""
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.restaurant import TRANSITIONS, RestaurantFlow, RestaurantStatus

S = RestaurantStatus
LEGAL = [(row[0], src, row[2]) for row in TRANSITIONS for src in (row[1] if isinstance(row[1], list) else [row[1]])]


@pytest.mark.parametrize("trigger,source,dest", LEGAL)
def test_legal_change_moves_the_restaurant(trigger, source, dest):
    restaurant = SimpleNamespace(status=source.value, id=1)
    assert RestaurantFlow(restaurant).fire(trigger)
    assert restaurant.status == dest.value


@pytest.mark.parametrize("trigger,state", [(t, s) for t in RestaurantFlow.triggers() for s in S if s not in RestaurantFlow.sources(t)])
def test_illegal_change_is_refused(trigger, state):
    restaurant = SimpleNamespace(status=state.value, id=1)
    with pytest.raises(TransitionRefused):
        RestaurantFlow(restaurant).fire(trigger)
    assert restaurant.status == state.value


def test_a_refused_restaurant_is_approved_only_after_it_applies_again():
    restaurant = SimpleNamespace(status="pending", id=7)
    RestaurantFlow(restaurant).fire("refuse")
    with pytest.raises(TransitionRefused, match="restaurant 7 is refused: cannot approve"):
        RestaurantFlow(restaurant).fire("approve")
    RestaurantFlow(restaurant).fire("reapply")
    RestaurantFlow(restaurant).fire("approve")
    assert restaurant.status == "approved"
