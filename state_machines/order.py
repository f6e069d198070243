"""The order lifecycle, from draft to completed, with every way out."""
from datetime import datetime
from enum import StrEnum

from state_machines.flow import Flow


class OrderStatus(StrEnum):
    DRAFT = "DRAFT"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PENDING_RESTAURANT = "PENDING_RESTAURANT"
    ACCEPTED = "ACCEPTED"
    PREPARING = "PREPARING"
    READY = "READY"
    PICKED_UP = "PICKED_UP"
    DELIVERED = "DELIVERED"
    COLLECTED = "COLLECTED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    DELIVERY_FAILED = "DELIVERY_FAILED"


S = OrderStatus
BEFORE_ACCEPTANCE = [S.DRAFT, S.AWAITING_PAYMENT, S.PENDING_RESTAURANT]
IN_KITCHEN = [S.ACCEPTED, S.PREPARING, S.READY]
FINAL = frozenset({S.COMPLETED, S.REJECTED, S.EXPIRED, S.CANCELLED})
# DELIVERY_FAILED waits for support: the food is sent again, or the order written off and refunded.

TRANSITIONS = [
    # trigger         source                     dest                   guard (first that holds wins)
    ["place",         S.DRAFT,                   S.AWAITING_PAYMENT,    "needs_prepayment"],
    ["place",         S.DRAFT,                   S.PENDING_RESTAURANT],                 # cash
    ["confirm",       S.AWAITING_PAYMENT,        S.PENDING_RESTAURANT],
    ["pay_cash",      S.AWAITING_PAYMENT,        S.PENDING_RESTAURANT,  "can_switch_to_cash"],  # second chance
    ["accept",        S.PENDING_RESTAURANT,      S.ACCEPTED],
    ["reject",        S.PENDING_RESTAURANT,      S.REJECTED],
    ["expire",        S.PENDING_RESTAURANT,      S.EXPIRED],
    ["cancel",        BEFORE_ACCEPTANCE,         S.CANCELLED],
    ["void",          IN_KITCHEN,                S.CANCELLED],           # support, with a reason
    ["start",         S.ACCEPTED,                S.PREPARING],
    ["mark_ready",    [S.ACCEPTED, S.PREPARING], S.READY],
    ["pick_up",       S.READY,                   S.PICKED_UP,           "is_delivery"],
    ["collect",       S.READY,                   S.COLLECTED,           "is_pickup"],
    ["hand_over",     S.PICKED_UP,               S.DELIVERED],
    ["fail_delivery", S.PICKED_UP,               S.DELIVERY_FAILED],
    ["resend",        S.DELIVERY_FAILED,         S.READY],               # support: a new delivery job
    ["write_off",     S.DELIVERY_FAILED,         S.CANCELLED],           # support: refunded instead
    ["complete",      [S.DELIVERED, S.COLLECTED], S.COMPLETED],
]


def sources(trigger: str) -> frozenset[OrderStatus]:
    """The states a trigger of the table leaves from."""
    found = set()
    for row in TRANSITIONS:
        if row[0] == trigger:
            found.update(row[1] if isinstance(row[1], list) else [row[1]])
    return frozenset(found)


# What a customer may still cancel: every stored state `cancel` leaves (a draft is never stored).
CANCELLABLE_BY_CUSTOMER = frozenset(status.value for status in sources("cancel") - {S.DRAFT})


def can_be_cancelled_by_customer(status: str) -> bool:
    return status in CANCELLABLE_BY_CUSTOMER


class OrderFlow(Flow):
    """Moves one order along TRANSITIONS and writes the new status back to it."""

    entity = "order"
    states = OrderStatus
    transitions = TRANSITIONS

    def needs_prepayment(self, **_) -> bool:
        return self.record.payment_method != "cash"

    def can_switch_to_cash(self, now: datetime | None = None, **_) -> bool:
        """A mobile-money order whose payment failed once may go ahead as cash, until its offer lapses."""
        until = self.record.payment_retry_until
        return self.record.payment_method in ("mtn", "orange") and until is not None and now is not None and now < until

    def is_delivery(self, **_) -> bool:
        return self.record.fulfilment == "delivery"

    def is_pickup(self, **_) -> bool:
        return self.record.fulfilment == "pickup"
