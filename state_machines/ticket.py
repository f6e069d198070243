"""A support ticket: open while the person waits for us, waiting while we wait for them, then solved."""
from enum import StrEnum

from state_machines.flow import Flow


class TicketStatus(StrEnum):
    OPEN = "OPEN"
    WAITING = "WAITING"
    SOLVED = "SOLVED"


S = TicketStatus

TRANSITIONS = [
    # trigger    source                 dest
    ["answer",   [S.OPEN, S.WAITING],   S.WAITING],   # support answered: the person's turn
    ["write",    S.WAITING,             S.OPEN],      # the person wrote again: our turn
    ["solve",    [S.OPEN, S.WAITING],   S.SOLVED],
    ["reopen",   S.SOLVED,              S.OPEN],      # a new message soon after it was solved
]


class TicketFlow(Flow):
    """Moves one ticket along TRANSITIONS."""

    entity = "ticket"
    states = TicketStatus
    transitions = TRANSITIONS

    def ref(self) -> str:
        return str(self.record.id)
