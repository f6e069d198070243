"""What one hop of the dialog works with: the person, their language, the catalog, the time.

Screen handlers (`menus.screen.Screen`) receive it. It sits in `menus`, below the channels,
so the screens that use it can too: it reaches the database only through `core`, and only
when a handler asks (`unit.session` is made at its first use).
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.accounts import account_for, caller_of
from core.catalog import Catalog
from core.db import Unit
from core.errors import NotFound
from core.i18n import translate
from core.models import Account
from core.order_views import OrderView
from core.popular import PopularCache
from core.use_cases import ordering
from state_machines.dialog import DialogState, Hop


@dataclass
class Hopping:
    """One hop in progress. The database session opens only if a step needs it."""

    hop: Hop
    state: DialogState
    unit: Unit
    catalog: Catalog
    tz: str
    ussd_code: str
    default_language: str
    payment_methods: tuple[str, ...]
    payment_window_s: int = 300
    resumable: dict[str, Any] | None = None  # an unfinished basket from an earlier session
    after_commit: list[str] = field(default_factory=list)  # what to wake once the hop is stored
    placed: OrderView | None = None  # the order this hop placed, for the screen that shows it
    popular: PopularCache = field(default_factory=PopularCache)  # the process's, from the engine
    _account: Account | None = None

    def now(self) -> datetime:
        return self.unit.now()

    def t(self, text: str, /, **values: Any) -> str:
        return translate(text, self.state.language, **values)

    @property
    def account_id(self) -> int | None:
        """None for a number we have never seen: it gets an account when it first acts."""
        return self.state.account_id

    async def recognise(self) -> None:
        """At the start of a session: who is calling, in which language (no writes)."""
        found = await caller_of(self.unit, self.hop.phone)
        self.state.language = found.language if found else self.default_language
        if found is not None:
            self.state.account_id = found.id

    async def account(self) -> Account:
        """The caller's account, opened now if this is their first order or choice."""
        if self._account is None:
            if self.state.account_id is not None:
                self._account = await self.unit.session.get(Account, self.state.account_id)
            if self._account is None:
                self._account = await account_for(self.unit, self.hop.phone, default_language=self.state.language)
                self.state.account_id = self._account.id
        return self._account

    async def chosen_order(self) -> OrderView:
        """The order the session is on (`state.order_code`), read as it stands now; NotFound
        unless it is the caller's own."""
        order = await ordering.customer_order(self.unit, self.account_id, self.state.order_code)
        if order is None:
            raise NotFound(f"no order {self.state.order_code}")
        return order

    @property
    def origin_key(self) -> str:
        return f"{self.hop.channel}:{self.hop.session_id}"
