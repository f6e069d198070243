"""A driver's standing: applied, then approved or refused; an approved driver suspended and reactivated."""
from enum import StrEnum

from state_machines.flow import Flow


class DriverStatus(StrEnum):
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REFUSED = "REFUSED"
    SUSPENDED = "SUSPENDED"


S = DriverStatus

TRANSITIONS = [
    # trigger       source           dest
    ["approve",     S.APPLIED,       S.APPROVED],
    ["refuse",      S.APPLIED,       S.REFUSED],
    ["reapply",     S.REFUSED,       S.APPLIED],     # a refused applicant may try again later
    ["suspend",     S.APPROVED,      S.SUSPENDED],
    ["reactivate",  S.SUSPENDED,     S.APPROVED],
]

# Who has the driver's keywords and menu: a suspended driver keeps them, to finish a job in hand
# and to be told why ON and TAKE are refused.
HAS_DRIVER_MENU = frozenset({S.APPROVED, S.SUSPENDED})


class DriverFlow(Flow):
    """Moves one driver profile along TRANSITIONS; the service says who is told."""

    entity = "driver"
    states = DriverStatus
    transitions = TRANSITIONS

    def ref(self) -> str:
        account = getattr(self.record, "account", None)
        return account.phone if account is not None else str(self.record.account_id)

    def audit_ref(self) -> str:
        return str(self.record.account_id)  # the account, never the number: audit rows hold no number in clear
