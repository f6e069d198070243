"""The payout lifecycle: asked for, approved (by an admin above a limit) or refused, sent, then
paid, or failed and sent again later, or given up after its attempts."""
from enum import StrEnum

from state_machines.flow import Flow


class PayoutStatus(StrEnum):
    REQUESTED = "REQUESTED"
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    APPROVED = "APPROVED"
    SENDING = "SENDING"
    PAID = "PAID"
    FAILED = "FAILED"
    ABANDONED = "ABANDONED"
    REFUSED = "REFUSED"


S = PayoutStatus
OPEN = (S.REQUESTED, S.AWAITING_APPROVAL, S.APPROVED, S.SENDING, S.FAILED)

TRANSITIONS = [
    # trigger     source                   dest                  guard
    ["submit",    S.REQUESTED,             S.AWAITING_APPROVAL,  "needs_approval"],
    ["submit",    S.REQUESTED,             S.APPROVED],
    ["approve",   S.AWAITING_APPROVAL,     S.APPROVED],
    ["refuse",    S.AWAITING_APPROVAL,     S.REFUSED],           # the money stays owed in the ledger
    ["send",      [S.APPROVED, S.FAILED],  S.SENDING],           # the transfer is asked (or asked again)
    ["confirm",   [S.SENDING, S.FAILED],   S.PAID],              # only the provider's status answer says so
    ["fail",      [S.APPROVED, S.SENDING, S.FAILED], S.FAILED, "has_attempts_left"],
    ["fail",      [S.APPROVED, S.SENDING, S.FAILED], S.ABANDONED],
]


class PayoutFlow(Flow):
    entity = "payout"
    states = PayoutStatus
    transitions = TRANSITIONS

    def __init__(self, record, *, approval_above_xaf: int = 0, max_attempts: int = 1) -> None:
        super().__init__(record)
        self.approval_above_xaf = approval_above_xaf
        self.max_attempts = max_attempts

    def ref(self) -> str:
        return self.record.reference

    def needs_approval(self, **_) -> bool:
        return self.record.amount_xaf > self.approval_above_xaf

    def has_attempts_left(self, **_) -> bool:
        return self.record.attempts < self.max_attempts
