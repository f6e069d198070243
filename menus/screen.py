"""The parts a screen is declared with, and the View a renderer turns into text for one channel.

A screen is one unit: what it shows (title, options, the list it fills, the text it asks
for) and how it answers, side by side in one declaration:

- `fill(h)` lists what the screen offers now (a `menus.choices.Filled`);
- `pick(h, choice)` answers a numbered choice, `typed(h, text)` a free-text answer; each
  returns a `menus.choices.Move`: the trigger of the dialog machine to fire, or none;
- `cached_by(h)`, on screens that show the catalog only, names what else their content
  depends on (a restaurant, a category, the minute for opening hours): the engine then keeps
  the filled and rendered screen per catalog version, language, page and channel.

`h` is the hop in progress (`menus.hopping.Hopping`). Handlers are plain functions, so a
screen's module reads top to bottom: its handlers, then its declaration.
"""
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from core.i18n import N_

__all__ = ["Entry", "N_", "Option", "Screen", "View"]


@dataclass(frozen=True)
class Option:
    """A fixed choice of a screen: `name` is what the dialog does when it is picked."""

    name: str
    label: str
    shown_if: str | None = None  # a question the dialog answers, e.g. "has_past_order"


@dataclass(frozen=True)
class Screen:
    """One step of the dialog, declared once for every channel.

    A screen shows a title, then either numbered entries (fixed `options`, or a list the
    dialog fills: restaurants, dishes...), or asks for free text (`prompt`). An `end`
    screen closes the session.
    """

    name: str
    title: str
    options: tuple[Option, ...] = ()
    lists: str | None = None  # name of the list the dialog fills in
    prompt: str | None = None  # free-text answer expected
    end: bool = False
    back: bool = True  # offers 0 Back
    fill: Callable[..., Any] | None = None  # async (h) -> Filled; None: a screen that lists nothing
    pick: Callable[..., Any] | None = None  # async (h, choice) -> Move; None: the choice's action is the trigger
    typed: Callable[..., Any] | None = None  # async (h, text) -> Move, for a screen with a prompt
    cached_by: Callable[..., Hashable] | None = None  # (h) -> what the content depends on besides the catalog


@dataclass(frozen=True)
class Entry:
    """One numbered line of a view, already translated."""

    label: str
    disabled: bool = False  # shown but not choosable (closed, sold out)


@dataclass
class View:
    """A screen filled for one person: translated texts, numbered entries, the page shown."""

    screen: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    prompt: str | None = None
    hint: str | None = None  # after a wrong key: what went wrong, shown above the title
    end: bool = False
    back: bool = True
    page: int = 0
    language: str = "fr"
    labels: dict[str, str] = field(default_factory=dict)  # translated "More", "Back", "Home"
