"""The dialog engine: reduces each hop's keys to the next screen, once, whatever the channel.

A session's state lives in the session store between hops. A hop whose keys extend what was
already applied applies only the new keys; the same keys again (a gateway replay) show the
same screen and do nothing; anything else is rebuilt from a fresh state, and side effects
stay single because an order placed from a session is keyed by it.

A USSD hop never fails: a number over its hop limit, or a hop that needs the database while
it is away, gets an END screen (the session store itself falls back to memory while Redis
is away, see channels.session_store.FallbackStore). Chat channels raise the outage instead:
their conversation keeps the message and answers it later.
"""
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from channels.dialogs import browse, checkout, driver, mine  # noqa: F401  (they register the screens)
from channels.dialogs.choices import FILL, PICK, TYPED, Filled, Move, plain_trigger
from channels.dialogs.context import Hopping
from channels.number_limits import HOPS_WINDOW_S, NumberLimits, hops_key
from channels.outages import which
from channels.session_store import SessionStore
from core.catalog import Catalog, CatalogCache
from core.db import Database, Unit
from core.errors import ChopbarError
from core.i18n import translate
from menus import refusals
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


@dataclass
class _Caller:
    """What a hop learned of the caller before it failed: the language of its refusal."""

    language: str | None = None


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
        ussd_store: SessionStore | None = None,
        limits: NumberLimits | None = None,
    ) -> None:
        self.db = db
        self.store = store  # chats and texts: fails while Redis is away, so their messages are kept
        self.ussd_store = ussd_store or store  # USSD: may fall back to memory, every hop carrying its path
        self.limits = limits
        self.tz = tz
        self.default_language = default_language
        self.ussd_code = ussd_code
        self.pagers = pagers
        self.payment_methods = payment_methods
        self.payment_window_s = payment_window_s
        self.on_session_bytes = on_session_bytes
        self.wake = wake
        self.catalog = CatalogCache(db)

    async def answer(self, hop: Hop, *, unit: Unit | None = None, catalog: Catalog | None = None) -> View:
        """The screen for this hop. `unit` and `catalog`: a caller's open unit of work to work
        in (and the catalog it read before opening it), so its own writes commit with the hop's."""
        if hop.channel != "ussd":
            return await self._hop(hop, _Caller(), unit, catalog)
        caller = _Caller()
        try:
            return await self._hop(hop, caller, unit, catalog)
        except Exception as exc:
            if which(exc) is None:
                raise
            return refusals.view(refusals.UNAVAILABLE, caller.language)

    async def _hop(self, hop: Hop, caller: _Caller, unit: Unit | None, catalog: Catalog | None) -> View:
        store = self.ussd_store if hop.channel == "ussd" else self.store
        key, resume_key = f"dialog:{hop.channel}:{hop.session_id}", f"resume:{hop.phone}"
        # A USSD number's hops are counted beside its session: read with it, added with its write.
        counted = (hops_key(hop.phone),) if hop.channel == "ussd" and self.limits is not None else ()
        saved, record, *hops = await store.get_many(key, resume_key, *counted)
        if hops and (hops[0] or 0) >= self.limits.hops_per_min:
            return refusals.view(refusals.TOO_MANY_HOPS, None)
        state = DialogState.from_dict(saved) if saved else None
        if state is not None and hop.keys[: len(state.keys)] == state.keys:
            new_keys = hop.keys[len(state.keys):]
        else:
            state, new_keys = DialogState(), list(hop.keys)
        if "started" in state.known:
            caller.language = state.language
        catalog = catalog or await self.catalog.get()
        resumable = record if record and record.get("session") != hop.session_id else None
        async with self._unit(unit) as unit:  # connects only if a step of this hop reads or writes
            h = Hopping(
                hop=hop, state=state, unit=unit, catalog=catalog, tz=self.tz, ussd_code=self.ussd_code,
                default_language=self.default_language, payment_methods=self.payment_methods,
                payment_window_s=self.payment_window_s, resumable=resumable,
            )
            if "started" not in state.known:
                await h.recognise()
                caller.language = state.language
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
        self.on_session_bytes((await store.write(puts, deletes, dict.fromkeys(counted, HOPS_WINDOW_S)))[key])
        return view

    def _unit(self, unit: Unit | None):
        return self.db.unit() if unit is None else _borrowed(unit)

    async def chat(
        self, channel: str, phone: str, text: str, *, message_id: str | None = None,
        unit: Unit | None = None, catalog: Catalog | None = None,
    ) -> View:
        """A chat channel sends one message at a time: the keys so far are kept per phone.

        The first message of a conversation (or the first after an END) opens the main menu,
        as dialling does; each later message is the next key. The pointer remembers the last
        message it took (`message_id`), so a message answered again (kept through an outage
        after its key was stored) is not a second key press.
        """
        pointer_key = f"chat:{channel}:{phone}"
        pointer = await self.store.get(pointer_key)
        if pointer is None:
            pointer = {"session": f"{channel}-{uuid.uuid4().hex}", "keys": []}
        elif message_id is None or pointer.get("last") != message_id:
            pointer["keys"].append(text.strip())
        if message_id is not None:
            pointer["last"] = message_id
        hop = Hop(channel=channel, session_id=pointer["session"], phone=phone, keys=pointer["keys"])
        view = await self.answer(hop, unit=unit, catalog=catalog)
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


class _borrowed:
    """A caller's unit of work, used as if opened here: committed (or not) by its owner."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit

    async def __aenter__(self) -> Unit:
        return self.unit

    async def __aexit__(self, *exc) -> None:
        return None
