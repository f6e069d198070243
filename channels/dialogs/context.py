"""What one hop of the dialog works with: the person, their language, the database, the time."""
from dataclasses import dataclass
from typing import Any

from core.db import Unit
from core.i18n import translate
from core.models import Account
from core.quarters import Gazetteer
from state_machines.dialog import DialogState, Hop


@dataclass
class Places:
    """The gazetteer with the database id of each of its quarters."""

    gazetteer: Gazetteer
    ids: dict[tuple[str, str], int]


@dataclass
class Hopping:
    hop: Hop
    state: DialogState
    unit: Unit
    account: Account
    places: Places
    tz: str
    ussd_code: str
    payment_methods: tuple[str, ...]
    resumable: dict[str, Any] | None = None  # an unfinished basket from an earlier session

    def t(self, text: str, /, **values: Any) -> str:
        return translate(text, self.state.language, **values)

    @property
    def origin_key(self) -> str:
        return f"{self.hop.channel}:{self.hop.session_id}"
