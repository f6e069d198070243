"""The dialog engine: reduces each hop's keys to the next screen, once, whatever the channel.

A session's state lives in the session store between hops. A hop whose keys extend what was
already applied applies only the new keys; the same keys again (a gateway replay) show the
same screen and do nothing; anything else is rebuilt from a fresh state, and side effects
stay single because an order placed from a session is keyed by it.
"""
import uuid
from collections.abc import Callable

from channels.dialogs import browse, checkout, driver, mine  # noqa: F401  (they register the screens)
from channels.dialogs.choices import FILL, PICK, TYPED, Filled, Move, plain_trigger
from channels.dialogs.context import Hopping
from channels.session_store import SessionStore
from core.catalog import CatalogCache
from core.db import Database
from core.errors import ChopbarError
from core.i18n import translate
from menus.screen import Entry, View
from menus.screens import HINTS, NAV, SCREENS
from state_machines.dialog import DialogFlow, DialogState, Hop

SESSION_TTL_S = 600  # longer than any gateway keeps a USSD session open
RESUME_TTL_S = 30 * 60  # an unfinished basket is offered back for 30 minutes
CHAT_TTL_S = 30 * 60  # a chat left alone this long starts again at the main menu
RESUMED_FIELDS = ("restaurant_id", "lines", "fulfilment", "address", "payment", "payer", "city", "quarter_id")
Pager = Callable[[View], int]  # how many pages a channel needs for a view


async def _no_fill(h: Hopping) -> Filled:
    return Filled()


class Dialogs:
    def __init__(
        self,
        db: Database,
        store: SessionStore,
        *,
        tz: str,
        default_language: str,
        ussd_code: str,
        pagers: dict[str, Pager],
        payment_methods: tuple[str, ...] = ("mtn", "orange", "cash"),
        payment_window_s: int = 300,
        on_session_bytes: Callable[[int], None] = lambda n: None,
        wake: Callable[[str], None] = lambda what: None,
    ) -> None:
        self.db = db
        self.store = store
        self.tz = tz
        self.default_language = default_language
        self.ussd_code = ussd_code
        self.pagers = pagers
        self.payment_methods = payment_methods
        self.payment_window_s = payment_window_s
        self.on_session_bytes = on_session_bytes
        self.wake = wake
        self.catalog = CatalogCache(db)

    async def answer(self, hop: Hop) -> View:
        key, resume_key = f"dialog:{hop.channel}:{hop.session_id}", f"resume:{hop.phone}"
        saved, record = await self.store.get_many(key, resume_key)
        state = DialogState.from_dict(saved) if saved else None
        if state is not None and hop.keys[: len(state.keys)] == state.keys:
            new_keys = hop.keys[len(state.keys):]
        else:
            state, new_keys = DialogState(), list(hop.keys)
        catalog = await self.catalog.get()
        resumable = record if record and record.get("session") != hop.session_id else None
        async with self.db.unit() as unit:  # connects only if a step of this hop reads or writes
            h = Hopping(
                hop=hop, state=state, unit=unit, catalog=catalog, tz=self.tz, ussd_code=self.ussd_code,
                default_language=self.default_language, payment_methods=self.payment_methods,
                payment_window_s=self.payment_window_s, resumable=resumable,
            )
            if "started" not in state.known:
                await h.recognise()
                await mine.learn_history(h)
                await driver.recognise_driver(h)
            for k in new_keys:
                await self.step(h, k.strip())
                state.keys.append(k)
            view = await self.view(h)
        for what in h.after_commit:
            self.wake(what)
        puts, deletes = {key: (state.to_dict(), SESSION_TTL_S)}, ()
        if new_keys:
            resume, forget = self._kept_for_resume(hop, state, record)
            if resume is not None:
                puts[resume_key] = (resume, RESUME_TTL_S)
            elif forget:
                deletes = (resume_key,)
        self.on_session_bytes((await self.store.write(puts, deletes))[key])
        return view

    async def chat(self, channel: str, phone: str, text: str) -> View:
        """A chat channel sends one message at a time: the keys so far are kept per phone.

        The first message of a conversation (or the first after an END) opens the main menu,
        as dialling does; each later message is the next key.
        """
        pointer_key = f"chat:{channel}:{phone}"
        pointer = await self.store.get(pointer_key)
        if pointer is None:
            pointer = {"session": f"{channel}-{uuid.uuid4().hex}", "keys": []}
        else:
            pointer["keys"].append(text.strip())
        view = await self.answer(Hop(channel=channel, session_id=pointer["session"], phone=phone, keys=pointer["keys"]))
        if view.end:
            await self.store.delete(pointer_key)
        else:
            await self.store.put(pointer_key, pointer, CHAT_TTL_S)
        return view

    @staticmethod
    def _kept_for_resume(hop: Hop, state: DialogState, record: dict | None) -> tuple[dict | None, bool]:
        """An unfinished basket is kept for the next dial (what to keep, or None); it is
        forgotten (True) once placed, or emptied in the session that kept it."""
        ours = record is not None and record.get("session") == hop.session_id
        if state.screen in ("placed", "goodbye") or (not state.lines and ours):
            return None, record is not None
        if state.lines:
            return {"session": hop.session_id, **{f: getattr(state, f) for f in RESUMED_FIELDS}}, False
        return None, False

    async def step(self, h: Hopping, key: str) -> None:
        state = h.state
        state.hint = None
        flow = DialogFlow(state)
        screen = SCREENS[state.screen]
        if key == "00" or screen.end:
            flow.home()
            return
        if key == "0":
            if state.page > 0:
                state.page -= 1
            elif not flow.back():
                state.hint = "wrong_key"
            return
        filled = await self._fill(h)
        if key == "98" and screen.prompt is None:
            if state.page + 1 < self.pagers[h.hop.channel](self._view(h, filled)):
                state.page += 1
            else:
                state.hint = "no_more"
            return
        came_from = [state.screen, state.page, state.group]
        try:
            move = await self._answer(h, screen, filled, key)
        except ChopbarError:  # what the keys pointed at is gone (a dish removed, an order not found)
            move = Move(None, hint="wrong_key")
            flow.home()
        state.hint = move.hint
        if move.trigger:
            DialogFlow(state, move.facts).go(move.trigger, came_from)

    async def _answer(self, h: Hopping, screen, filled: Filled, key: str) -> Move:
        if screen.prompt is not None:
            return await TYPED[screen.name](h, key)
        if not (key.isascii() and key.isdigit()) or not 1 <= int(key) <= len(filled.choices):
            return Move(None, hint="wrong_key")
        choice = filled.choices[int(key) - 1]
        if choice.refusal:
            return Move(None, hint=choice.refusal)
        return await PICK.get(screen.name, plain_trigger)(h, choice)

    async def _fill(self, h: Hopping) -> Filled:
        try:
            return await FILL.get(h.state.screen, _no_fill)(h)
        except ChopbarError:
            DialogFlow(h.state).home()
            h.state.hint = "wrong_key"
            return await FILL["home"](h)

    async def view(self, h: Hopping) -> View:
        return self._view(h, await self._fill(h))

    def _view(self, h: Hopping, filled: Filled) -> View:
        screen = SCREENS[h.state.screen]
        language = h.state.language
        return View(
            screen=screen.name,
            title=translate(screen.title, language, **filled.values) if filled.values else h.t(screen.title),
            entries=[Entry(c.label, disabled=c.refusal is not None) for c in filled.choices],
            prompt=h.t(screen.prompt) if screen.prompt else None,
            hint=h.t(HINTS[h.state.hint]) if h.state.hint else None,
            end=screen.end,
            back=screen.back and screen.name != "home",
            page=h.state.page,
            language=language,
            labels={k: h.t(v) for k, v in NAV.items()},
        )
