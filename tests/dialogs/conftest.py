"""The dialog engine without HTTP: a memory session store, a database unit, the seeded catalog.

`caller` dials the engine as a USSD gateway would (the whole path every hop) and reads the
screens it answers; `sessions_made` counts the ORM sessions the database handed out.
"""
import itertools

import pytest

from channels.dialogs.engine import Answer, Dialogs
from channels.session_store import MemoryStore
from menus.render import ussd
from state_machines.dialog import Hop
from tests.ussd import number_of

numbers = itertools.count(1)


@pytest.fixture
def sessions_made(db) -> list[int]:
    made = [0]
    sessions = db.sessions

    def counted():
        made[0] += 1
        return sessions()

    db.sessions = counted
    return made


@pytest.fixture
def dialogs(db) -> Dialogs:
    return Dialogs(
        db, MemoryStore(), tz="Africa/Douala", default_language="fr", ussd_code="*384*2468#",
        renderers={"ussd": lambda view: ussd.show(view, 160)},
    )


class Caller:
    """One phone's USSD session on the engine: every hop sends every key so far."""

    def __init__(self, dialogs: Dialogs, phone: str) -> None:
        self.dialogs = dialogs
        self.phone = phone
        self.session_id = f"dialog-test-{next(numbers)}"
        self.keys: list[str] = []
        self.last: Answer | None = None

    async def dial(self) -> Answer:
        return await self._hop()

    async def press(self, key: str) -> Answer:
        self.keys.append(key)
        return await self._hop()

    async def pick(self, label: str) -> Answer:
        number = number_of(self.last.body, label)
        assert number is not None, f"{label!r} is not on the screen:\n{self.last.body}"
        return await self.press(number)

    async def replay(self) -> Answer:
        return await self._hop()

    async def _hop(self) -> Answer:
        self.last = await self.dialogs.answer(Hop("ussd", self.session_id, self.phone, list(self.keys)))
        return self.last


@pytest.fixture
def caller(dialogs):
    def make(phone: str | None = None) -> Caller:
        return Caller(dialogs, phone or f"+2376558{next(numbers):05d}")

    return make
