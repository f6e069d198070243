"""The customer dialog as a `transitions` machine: screens are states, picks are triggers.

Channels feed it one key at a time (USSD sends the whole path, the engine replays only what
is new); the engine around it loads lists and does the side effects. The state is a small
dictionary so that a session store (memory or Redis) keeps it between hops.

The states are the screens' names (`menus.screens` gathers a screen for each, and a test
holds the two to the same set); this module knows them only from its own table, so it
imports nothing above `state_machines`. Guards ask the dialog state, and the catalog
through `Menu`, what they need to know.
"""
from dataclasses import dataclass, field
from typing import Any, Protocol

from transitions import MachineError

from state_machines.flow import build_machine


@dataclass(frozen=True)
class Hop:
    """One message of a dialog: who, in which session, and every key pressed so far."""

    channel: str
    session_id: str
    phone: str
    keys: list[str]


@dataclass
class DialogState:
    screen: str = "home"
    stack: list[list[Any]] = field(default_factory=list)  # [screen, page, group] to go back to
    page: int = 0
    pages: int | None = None  # pages of the screen as last shown, when known: the next 98 need not page it
    keys: list[str] = field(default_factory=list)  # keys already applied in this session
    language: str = "fr"
    account_id: int | None = None
    hint: str | None = None
    city: str | None = None
    quarter_id: int | None = None  # where "near me" looks
    restaurant_id: int | None = None
    category_id: int | None = None
    item_id: int | None = None
    group: int = 0  # which option group of the dish is being chosen
    picked: list[list[int]] = field(default_factory=list)  # option ids, one list per group
    lines: list[list[Any]] = field(default_factory=list)  # basket: [item_id, quantity, [option ids]]
    fulfilment: str | None = None
    address: dict[str, Any] | None = None
    payment: str | None = None
    payer: str | None = None
    promo: str | None = None  # a promo code the summary accepted
    order_code: str | None = None
    reorder_of: str | None = None
    points: int = 0  # loyalty points the caller chose to spend on this order
    query: str | None = None  # the dish searched for, as typed
    # What the session learned of the person when it began (last order, saved quarters),
    # so that later hops need not ask the database again.
    known: dict[str, Any] = field(default_factory=dict)
    seen: int = 0  # the screens shown in this session, one bit each (SCREEN_BITS): the funnel's count at its end

    def to_dict(self) -> dict[str, Any]:
        # Empty and default fields are left out: sessions stay small in the store.
        return {k: v for k in _FIELDS if (v := getattr(self, k)) != _DEFAULTS[k]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DialogState":
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


_FIELDS = tuple(DialogState.__dataclass_fields__)
_DEFAULTS = {k: getattr(DialogState(), k) for k in _FIELDS}

TRANSITIONS = [
    # trigger           source             dest                guard (, unless, before)
    ["finish_order",    "home",            "pay_again"],        # a second chance to pay stands
    ["resume",          "home",            "basket"],
    ["reorder",         "home",            "reorder",          "has_basket"],
    ["order",           "home",            "places"],
    ["orders",          "home",            "orders"],
    ["language",        "home",            "language"],
    ["help",            "home",            "help"],
    ["talk",            "home",            "talk"],
    ["account",         "home",            "account"],
    ["invite",          "account",         "invite_number"],
    ["send_invitation", "invite_number",   "invited"],
    ["favourites",      "home",            "favourites"],
    ["open_restaurant", "favourites",      "categories",       "has_many_categories"],
    ["open_restaurant", "favourites",      "dishes"],
    ["open_dish",       ["favourites", "popular"], "choice",   "has_options"],
    ["open_dish",       ["favourites", "popular"], "quantity"],
    ["popular",         "places",          "popular",          "has_quarter"],
    ["popular",         "places",          "popular_quarter"],
    ["other_quarter",   "popular",         "popular_quarter"],
    ["popular_found",   "popular_quarter", "popular"],
    ["send_message",    "talk",            "talk_sent"],
    ["pick_place",      "places",          "restaurants"],
    ["type_quarter",    "places",          "quarter_input"],
    ["quarter_found",   "quarter_input",   "restaurants"],
    ["search_dish",     "places",          "dish_search"],
    ["found_dishes",    "dish_search",     "dish_results"],
    ["pick_dish",       "dish_results",    "choice",           "has_options"],
    ["pick_dish",       "dish_results",    "quantity"],
    ["pick_restaurant", "restaurants",     "categories",       "has_many_categories"],
    ["pick_restaurant", "restaurants",     "dishes"],
    ["pick_category",   "categories",      "dishes"],
    ["pick_dish",       "dishes",          "choice",           "has_options"],
    ["pick_dish",       "dishes",          "quantity"],
    ["pick_choice",     "choice",          "choice",           "has_more_groups", None, "next_group"],
    ["pick_choice",     "choice",          "quantity"],
    ["set_quantity",    "quantity",        "basket"],
    ["checkout",        "basket",          "fulfilment"],
    ["add_more",        "basket",          "categories",       "has_many_categories"],
    ["add_more",        "basket",          "dishes"],
    ["empty",           "basket",          "home"],
    ["deliver",         "fulfilment",      "addresses"],
    ["pickup",          "fulfilment",      "payment"],
    ["pick_address",    "addresses",       "payment"],
    ["new_address",     "addresses",       "address_quarter"],
    ["set_quarter",     "address_quarter", "address_landmark"],
    ["set_landmark",    "address_landmark", "payment"],
    ["pick_payment",    "payment",         "payer",            "is_mobile_money"],
    ["pick_payment",    "payment",         "summary"],
    ["this_number",     "payer",           "summary"],
    ["other_number",    "payer",           "payer_number"],
    ["set_payer",       "payer_number",    "summary"],
    ["confirm",         ["summary", "reorder"], "placed"],
    ["abandon",         "summary",         "goodbye"],
    ["promo",           "summary",         "promo_code"],
    ["set_promo",       "promo_code",      "summary"],
    ["use_points",      "summary",         "summary"],
    ["no_points",       "summary",         "summary"],
    ["change",          "reorder",         "basket"],
    ["pick_order",      "orders",          "order_detail"],
    ["cancel_order",    "order_detail",    "cancel_confirm"],
    ["confirm_cancel",  "cancel_confirm",  "cancelled"],
    ["keep",            "cancel_confirm",  "order_detail"],
    ["try_again",       "pay_again",       "paid_again"],
    ["pay_cash",        "pay_again",       "paid_again"],
    ["en",              "language",        "home"],
    ["fr",              "language",        "home"],
    ["language",        "driver_home",     "language"],
    ["toggle_online",   "driver_home",     "driver_home"],
    ["my_job",          "driver_home",     "driver_job"],
    ["my_earnings",     "driver_home",     "driver_earnings"],
    ["got_food",        "driver_job",      "driver_job"],
    ["enter_code",      "driver_job",      "driver_code"],
    ["set_code",        "driver_code",     "driver_job"],
]

# Moves that close a branch: going back from their destination makes no sense.
RESETS_STACK = {"set_quantity", "empty", "en", "fr", "confirm", "confirm_cancel", "resume", "change"}


# Every state of the dialog: each screen is one, whether it is left by a key or ends the session.
STATES = list(dict.fromkeys(
    state for row in TRANSITIONS for state in ([*row[1]] if isinstance(row[1], list) else [row[1]]) + [row[2]]
))


# A screen's bit in DialogState.seen. A session lives minutes, so a release that adds a screen
# (and moves the bits) can misfile only the sessions open while it starts.
SCREEN_BITS = {screen: 1 << n for n, screen in enumerate(STATES)}


def mark_seen(state: DialogState) -> None:
    state.seen |= SCREEN_BITS.get(state.screen, 0)


def screens_seen(seen: int) -> list[str]:
    """The screens of a `seen` mask, in the table's order."""
    return [screen for screen, bit in SCREEN_BITS.items() if seen & bit]


def _plain_moves(table: list[list[Any]]) -> dict[tuple[str, str], str]:
    """(screen, trigger) -> where it leads, for the moves the table gives one row with no guard
    and no callback: the machine would only set the state, so the dialog sets it itself (firing
    `transitions` costs a browsing hop more than its keys). Guarded moves still fire it."""
    rows: dict[tuple[str, str], list[list[Any]]] = {}
    for row in table:
        for source in row[1] if isinstance(row[1], list) else [row[1]]:
            rows.setdefault((source, row[0]), []).append(row)
    return {move: found[0][2] for move, found in rows.items() if len(found) == 1 and len(found[0]) == 3}


PLAIN_MOVES = _plain_moves(TRANSITIONS)


class Menu(Protocol):
    """What the guards ask of the catalog being browsed (core.catalog.Catalog answers)."""

    def category_count(self, restaurant_id: int | None) -> int: ...
    def option_group_count(self, item_id: int | None) -> int: ...


class DialogFlow:
    """Moves a DialogState from screen to screen; guards ask the state and the menu."""

    def __init__(self, state: DialogState, menu: Menu) -> None:
        self.dialog = state
        self.menu = menu

    def go(self, trigger: str, came_from: list[Any] | None = None) -> str:
        """Fires a trigger; pushes where we were (before the pick changed it) so 0 comes back."""
        came_from = came_from or [self.dialog.screen, self.dialog.page, self.dialog.group]
        to = PLAIN_MOVES.get((self.dialog.screen, trigger)) or self._fire(trigger)
        if to == "home" and self.dialog.known.get("driver"):
            to = "driver_home"  # a driver's number has the driver menu for its main menu
        if trigger in RESETS_STACK:
            self.dialog.stack = [[self.home_screen, 0, 0]] if to != self.home_screen else []
        elif to != came_from[0] or trigger == "pick_choice":
            self.dialog.stack.append(came_from)
        self.dialog.screen = to
        self.dialog.page = 0
        return to

    def _fire(self, trigger: str) -> str:
        cursor.flow = self
        machine.set_state(self.dialog.screen, model=cursor)
        try:
            cursor.trigger(trigger)
        except (MachineError, AttributeError):
            raise ValueError(f"{trigger} is not possible from {self.dialog.screen}") from None
        finally:
            cursor.flow = None
        return cursor.state

    @property
    def home_screen(self) -> str:
        return "driver_home" if self.dialog.known.get("driver") else "home"

    def home(self) -> None:
        self.dialog.screen, self.dialog.stack, self.dialog.page, self.dialog.group = self.home_screen, [], 0, 0

    def back(self) -> bool:
        if not self.dialog.stack:
            return False
        screen, page, group = self.dialog.stack.pop()
        self.dialog.screen, self.dialog.page, self.dialog.group = screen, page, group
        return True

    def has_basket(self) -> bool:
        return bool(self.dialog.lines)

    def has_many_categories(self) -> bool:
        return self.menu.category_count(self.dialog.restaurant_id) > 1

    def has_options(self) -> bool:
        return self.menu.option_group_count(self.dialog.item_id) > 0

    def has_more_groups(self) -> bool:
        return self.dialog.group + 1 < self.menu.option_group_count(self.dialog.item_id)

    def next_group(self) -> None:
        self.dialog.group += 1

    def has_quarter(self) -> bool:
        return self.dialog.quarter_id is not None

    def is_mobile_money(self) -> bool:
        return self.dialog.payment in ("mtn", "orange")


machine, cursor = build_machine(STATES, TRANSITIONS, "home")
