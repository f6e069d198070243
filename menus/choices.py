"""The pieces screen handlers share: numbered choices, the move a pick makes, and the words for
names, prices and order statuses."""
from dataclasses import dataclass, field
from typing import Any

from core.formatting import money
from core.i18n import N_
from menus.hopping import Hopping
from menus.screen import Screen
from state_machines.order import OrderStatus


@dataclass
class Choice:
    label: str
    action: str  # a trigger of the dialog machine, or a step the screen handles itself
    value: Any = None
    refusal: str | None = None  # the hint shown instead when it cannot be chosen now


@dataclass
class Filled:
    values: dict[str, Any] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)


@dataclass
class Move:
    """What a pick or a typed answer does: fire `trigger` (the machine's guards decide where it
    leads), or stay on this screen (None), with a hint or re-shown as changed."""

    trigger: str | None
    hint: str | None = None


async def plain_trigger(h: Hopping, choice: Choice) -> Move:
    return Move(choice.action)


def static_choices(h: Hopping, screen: Screen, facts: dict[str, bool], **values: Any) -> list[Choice]:
    """The fixed options of `screen` that apply (their `shown_if` holds in `facts`), translated."""
    return [
        Choice(h.t(option.label, **values) if values else h.t(option.label), option.name)
        for option in screen.options
        if option.shown_if is None or facts.get(option.shown_if)
    ]


def name_of(thing: Any, language: str) -> str:
    return thing.name_fr if language == "fr" else thing.name_en


def amount(h: Hopping, value_xaf: int) -> str:
    return money(value_xaf, h.state.language)


def price(h: Hopping, value_xaf: int) -> str:
    """A price in a list: the number alone, the currency is understood."""
    return amount(h, value_xaf).removesuffix(" FCFA")


STATUS_WORDS = {
    OrderStatus.DRAFT: N_("Not sent"),
    OrderStatus.AWAITING_PAYMENT: N_("Waiting for your payment"),
    OrderStatus.PENDING_RESTAURANT: N_("Waiting for the restaurant"),
    OrderStatus.ACCEPTED: N_("Accepted by the restaurant"),
    OrderStatus.PREPARING: N_("Being prepared"),
    OrderStatus.READY: N_("Ready"),
    OrderStatus.PICKED_UP: N_("On the way to you"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.COLLECTED: N_("Collected"),
    OrderStatus.COMPLETED: N_("Completed"),
    OrderStatus.REJECTED: N_("Refused by the restaurant"),
    OrderStatus.EXPIRED: N_("No answer from the restaurant"),
    OrderStatus.CANCELLED: N_("Cancelled"),
    OrderStatus.DELIVERY_FAILED: N_("Delivery failed"),
}


def status_words(h: Hopping, status: str) -> str:
    return h.t(STATUS_WORDS[OrderStatus(status)])


def line_names(h: Hopping, lines) -> str:
    """'2x Ndole, 1x Jus de folere' from order lines or priced lines."""
    parts = []
    for line in lines:
        item = getattr(line, "item", line)
        parts.append(f"{line.quantity}x {name_of(item, h.state.language)}")
    return ", ".join(parts)
