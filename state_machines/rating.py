"""A rating request: asked once an order is delivered or collected, then rated by its customer,
or expired when the window for an answer passes first."""
from enum import StrEnum

from state_machines.flow import Flow


class RatingStatus(StrEnum):
    ASKED = "ASKED"
    RATED = "RATED"
    EXPIRED = "EXPIRED"


S = RatingStatus

TRANSITIONS = [
    # trigger    source    dest
    ["rate",     S.ASKED,  S.RATED],     # the customer answered in time: counted once
    ["expire",   S.ASKED,  S.EXPIRED],   # the window passed: a later answer is refused
]


class RatingFlow(Flow):
    """Moves one rating request along TRANSITIONS."""

    entity = "rating"
    states = RatingStatus
    transitions = TRANSITIONS

    def ref(self) -> str:
        return str(self.record.order_code)
