"""The rating request's lifecycle: asked, then rated or expired, and nothing after."""
from types import SimpleNamespace

import pytest

from state_machines.flow import TransitionRefused
from state_machines.rating import RatingFlow, RatingStatus as S


def _request(status: S = S.ASKED) -> SimpleNamespace:
    return SimpleNamespace(status=status.value, order_code="482137")


@pytest.mark.parametrize("trigger,lands", [("rate", S.RATED), ("expire", S.EXPIRED)])
def test_an_asked_request_is_rated_or_expires(trigger, lands):
    request = _request()
    assert RatingFlow(request).fire(trigger) and request.status == lands.value


@pytest.mark.parametrize("status", [S.RATED, S.EXPIRED])
@pytest.mark.parametrize("trigger", ["rate", "expire"])
def test_a_rated_or_expired_request_moves_no_more(status, trigger):
    with pytest.raises(TransitionRefused):
        RatingFlow(_request(status)).fire(trigger)
