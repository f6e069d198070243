"""The delivery job lifecycle: offered to drivers, taken by one, picked up, handed over."""
from enum import StrEnum

from state_machines.flow import Flow


class DeliveryStatus(StrEnum):
    UNASSIGNED = "UNASSIGNED"
    OFFERED = "OFFERED"
    ASSIGNED = "ASSIGNED"
    AT_PICKUP = "AT_PICKUP"
    PICKED_UP = "PICKED_UP"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


S = DeliveryStatus
OPEN = [S.UNASSIGNED, S.OFFERED]
ACTIVE = frozenset({S.ASSIGNED, S.AT_PICKUP, S.PICKED_UP})

TRANSITIONS = [
    # trigger     source                   dest
    ["offer",     OPEN,                    S.OFFERED],
    ["take",      OPEN,                    S.ASSIGNED],
    ["arrive",    S.ASSIGNED,              S.AT_PICKUP],
    ["pick_up",   [S.ASSIGNED, S.AT_PICKUP], S.PICKED_UP],
    ["hand_over", S.PICKED_UP,             S.DELIVERED],
    ["fail",      S.PICKED_UP,             S.FAILED],
    ["cancel",    [*OPEN, S.ASSIGNED, S.AT_PICKUP], S.CANCELLED],
]


class DeliveryFlow(Flow):
    """Moves one delivery job along TRANSITIONS; the service keeps the order in step."""

    entity = "delivery"
    states = DeliveryStatus
    transitions = TRANSITIONS

    def ref(self) -> str:
        return str(self.record.order.code if getattr(self.record, "order", None) else self.record.id)
