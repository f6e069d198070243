"""The payment lifecycle: asked, waiting for the payer, then paid, failed, expired or unknown."""
from enum import StrEnum

from state_machines.flow import Flow


class PaymentStatus(StrEnum):
    CREATED = "CREATED"
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    UNKNOWN = "UNKNOWN"
    REFUNDED = "REFUNDED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"


S = PaymentStatus
OPEN = [S.CREATED, S.PENDING, S.UNKNOWN]

TRANSITIONS = [
    # trigger         source                       dest                   guard
    ["request",       S.CREATED,                   S.PENDING],
    ["lose_track",    [S.CREATED, S.PENDING],      S.UNKNOWN],            # the provider did not answer
    ["resume",        S.UNKNOWN,                   S.PENDING],            # it answered: still waiting
    ["succeed",       OPEN,                        S.SUCCEEDED],
    ["succeed_late",  S.EXPIRED,                   S.SUCCEEDED],          # paid after we gave up
    ["fail",          OPEN,                        S.FAILED],
    ["expire",        OPEN,                        S.EXPIRED],
    ["refund",        [S.SUCCEEDED, S.PARTIALLY_REFUNDED], S.REFUNDED,    "is_whole_refund"],
    ["refund",        [S.SUCCEEDED, S.PARTIALLY_REFUNDED], S.PARTIALLY_REFUNDED],
]

FINAL = frozenset({S.FAILED, S.REFUNDED})


class PaymentFlow(Flow):
    """Moves one payment along TRANSITIONS; only a provider's status answer may make it paid."""

    entity = "payment"
    states = PaymentStatus
    transitions = TRANSITIONS

    def ref(self) -> str:
        return self.record.reference

    def is_whole_refund(self, amount_xaf: int = 0, **_) -> bool:
        return self.record.refunded_xaf + amount_xaf >= self.record.amount_xaf
