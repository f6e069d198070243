"""The restaurant lifecycle: an application waits for review, is approved or refused; an approved
restaurant may be suspended and approved again; a refused one may apply again."""
from enum import StrEnum

from state_machines.flow import Flow


class RestaurantStatus(StrEnum):
    PENDING = "pending"      # applied: not listed, takes no orders
    APPROVED = "approved"    # listed, takes orders
    REFUSED = "refused"      # support said no, with a reason; the applicant may apply again
    SUSPENDED = "suspended"  # taken off the lists for a while


S = RestaurantStatus
LISTED = frozenset({S.APPROVED})

TRANSITIONS = [
    # trigger     source                    dest
    ["approve",   [S.PENDING, S.SUSPENDED], S.APPROVED],   # from suspended: back on the lists
    ["refuse",    S.PENDING,                S.REFUSED],
    ["suspend",   S.APPROVED,               S.SUSPENDED],
    ["reapply",   S.REFUSED,                S.PENDING],
]


class RestaurantFlow(Flow):
    """Moves one restaurant along TRANSITIONS; the service gives roles and sends the owner's SMS."""

    entity = "restaurant"
    states = RestaurantStatus
    transitions = TRANSITIONS
