"""The dialog engine: reduces each hop's keys to the next screen, once, whatever the channel.

A session's state lives in the session store between hops; with Redis a USSD hop starts from
what its process last wrote of the session, when it did, and the write (or, for a hop that used
the database, a read before its commit) proves that copy fresh or runs the hop again from what
Redis holds (`channels.session_store.RedisStore`). A hop whose keys extend what was
already applied applies only the new keys; the same keys again (a gateway replay) show the
same screen and do nothing; anything else is rebuilt from a fresh state, and side effects
stay single because an order placed from a session is keyed by it.

Each screen is one unit (`menus.screen.Screen`): the engine finds its handlers in
`menus.screens.SCREENS`, lets them answer the key, fires the trigger they return on the dialog
machine (whose guards ask the state and the catalog where it leads), and renders the screen
it lands on with the channel's renderer, which also tells how many pages it has: that count
is kept in the session, so the next `98` needs no paging. Screens that show only the catalog
are filled and rendered once per catalog version, language, page and channel
(`channels.dialogs.screen_cache`). A hop that only browses opens no database session.

A USSD hop never fails: a number over its hop limit, or a hop that needs the database while
it is away, gets an END screen (the session store itself falls back to memory while Redis
is away, see channels.session_store.FallbackStore). Chat channels raise the outage instead:
their conversation keeps the message and answers it later.
"""
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from channels.dialogs.screen_cache import ScreenCache
from channels.number_limits import HOPS_WINDOW_S, NumberLimits, hops_key
from channels.outages import which
from channels.session_store import OverLimit, Read, SessionStore, Stale, same_texts
from core.catalog import Catalog, CatalogCache
from core.db import Database, Unit
from core.errors import ChopbarError
from core.popular import PopularCache
from core.use_cases.business import EndedSession
from core.i18n import translate
from menus import refusals
from menus.choices import Filled, Move, plain_trigger
from menus.driving import recognise_driver
from menus.home import learn_history
from menus.hopping import Hopping
from menus.render import Shown
from menus.screen import Entry, Screen, View
from menus.screens import SCREENS
from menus.words import HINTS, NAV
from state_machines.dialog import DialogFlow, DialogState, Hop, mark_seen, screens_seen

SESSION_TTL_S = 600  # longer than any gateway keeps a USSD session open
RESUME_TTL_S = 30 * 60  # an unfinished basket is offered back for 30 minutes
CHAT_TTL_S = 30 * 60  # a chat left alone this long starts again at the main menu
RESUMED_FIELDS = ("restaurant_id", "lines", "fulfilment", "address", "payment", "payer", "city", "quarter_id")
Renderer = Callable[[View], Shown]  # a channel's body for a view, and its number of pages


async def _no_fill(h: Hopping) -> Filled:
    return Filled()


@dataclass(frozen=True)
class Answer:
    """The screen a hop lands on, and its body as the hop's channel carries it."""

    view: View
    body: Any


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
        renderers: dict[str, Renderer],
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
        self.renderers = renderers
        self.payment_methods = payment_methods
        self.payment_window_s = payment_window_s
        self.on_session_bytes = on_session_bytes
        self.wake = wake
        self.catalog = CatalogCache(db)
        self.filled = ScreenCache()
        self.popular = PopularCache()  # what neighbours order now, per quarter and hour: USSD, chats and the API
        self.shown = ScreenCache()

    async def answer(self, hop: Hop, *, unit: Unit | None = None, catalog: Catalog | None = None) -> Answer:
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
            return self._refusal(hop, refusals.view(refusals.UNAVAILABLE, caller.language))

    def _refusal(self, hop: Hop, view: View) -> Answer:
        return Answer(view, self.renderers[hop.channel](view).body)

    async def _hop(self, hop: Hop, caller: _Caller, unit: Unit | None, catalog: Catalog | None) -> Answer:
        store = self.ussd_store if hop.channel == "ussd" else self.store
        keys = (f"dialog:{hop.channel}:{hop.session_id}", f"resume:{hop.phone}")
        # A USSD number's hops are counted beside its session: read with it, added with its write.
        counter = hops_key(hop.phone) if hop.channel == "ussd" and self.limits is not None else None
        # A USSD hop in a unit of its own may start from what this process last wrote of its
        # session, no round trip; the store proves that fresh before anything rests on it
        # (`_run`). A caller's unit (a chat) is committed by its caller: it reads first.
        read = await store.read(keys, counter, recall=hop.channel == "ussd" and unit is None)
        try:
            return await self._run(hop, caller, unit, catalog, store, keys, counter, read)
        except Stale as stale:  # another process answered this session since: nothing of this run was kept
            return await self._run(hop, caller, unit, catalog, store, keys, counter, stale.fresh)
        except OverLimit:
            return self._refusal(hop, refusals.view(refusals.TOO_MANY_HOPS, None))

    async def _run(
        self, hop: Hop, caller: _Caller, unit: Unit | None, catalog: Catalog | None, store: SessionStore,
        keys: tuple[str, str], counter: str | None, read: Read,
    ) -> Answer:
        """The hop from `read`. A recalled read is proven before it counts: a hop that used the
        database reads the store again before its unit commits (rolled back, and the hop run
        again from what it read, when they differ); any other hop writes only if the store still
        holds what it started from (`expect`), else `Stale` runs it again. Either way the hop
        limit is checked there, before anything is kept."""
        if read.count is not None and read.count >= self.limits.hops_per_min:
            return self._refusal(hop, refusals.view(refusals.TOO_MANY_HOPS, None))
        key, resume_key = keys
        saved, record = read.values
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
                payment_window_s=self.payment_window_s, resumable=resumable, popular=self.popular,
            )
            if "started" not in state.known:
                await h.recognise()
                caller.language = state.language
                await learn_history(h)
                await recognise_driver(h)
            mark_seen(state)
            for k in new_keys:
                await self.step(h, k.strip())
                state.keys.append(k)
                mark_seen(state)
            view, shown = await self.show(h)
            state.pages = shown.pages if view.hint is None else None
            if read.recalled and unit.opened is not None:
                read = await self._proven(store, keys, counter, read)
        for what in h.after_commit:
            self.wake(what)
        puts, deletes = {key: (state.to_dict(), SESSION_TTL_S)}, ()
        if new_keys:
            resume, forget = self._kept_for_resume(hop, state, record)
            if resume is not None:
                puts[resume_key] = (resume, RESUME_TTL_S)
            elif forget:
                deletes = (resume_key,)
        counts = dict.fromkeys((counter,) if counter else (), HOPS_WINDOW_S)
        if read.recalled:
            expect = dict(zip(keys, read.texts))
            limit = (counter, self.limits.hops_per_min) if counter else None
            sizes = await store.write(puts, deletes, counts, expect=expect, limit=limit)
        else:
            sizes = await store.write(puts, deletes, counts)
        self.on_session_bytes(sizes[key])
        return Answer(view, shown.body)

    async def _proven(self, store: SessionStore, keys: tuple[str, str], counter: str | None, recalled: Read) -> Read:
        """The store's read, if it holds what the hop recalled (and the number is under its
        limit); else `Stale` or `OverLimit`, raised inside the unit so that it rolls back."""
        fresh = await store.read(keys, counter)
        if not same_texts(fresh.texts, recalled.texts):
            raise Stale(fresh)
        if fresh.count is not None and fresh.count >= self.limits.hops_per_min:
            raise OverLimit()
        return fresh

    async def ended(self, session_id: str) -> EndedSession | None:
        """A USSD session as its last hop left it, for the funnel once the gateway says it ended;
        None when this service holds nothing of it (never dialled here, or long expired)."""
        saved = await self.ussd_store.get(f"dialog:ussd:{session_id}")
        if not saved:
            return None
        state = DialogState.from_dict(saved)
        screen = SCREENS.get(state.screen)
        return EndedSession(session_id, tuple(screens_seen(state.seen)), state.screen, bool(screen and screen.end))

    def _unit(self, unit: Unit | None):
        return self.db.unit() if unit is None else _borrowed(unit)

    async def chat(
        self, channel: str, phone: str, text: str, *, message_id: str | None = None,
        unit: Unit | None = None, catalog: Catalog | None = None,
    ) -> Answer:
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
        answer = await self.answer(hop, unit=unit, catalog=catalog)
        if answer.view.end:
            await self.store.delete(pointer_key)
        else:
            await self.store.put(pointer_key, pointer, CHAT_TTL_S)
        return answer

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
        pages, state.pages = state.pages, None  # the count holds for the screen as it was last shown
        state.hint = None
        flow = DialogFlow(state, h.catalog)
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
        if key == "98" and screen.prompt is None and pages is not None:
            self._next_page(state, pages)
            return
        filled = await self._fill(h)
        if key == "98" and screen.prompt is None:
            self._next_page(state, self._render(h, filled)[1].pages)
            return
        came_from = [state.screen, state.page, state.group]
        try:
            move = await self._answer(h, screen, filled, key)
        except ChopbarError:  # what the keys pointed at is gone (a dish removed, an order not found)
            move = Move(None, hint="wrong_key")
            flow.home()
        state.hint = move.hint
        if move.trigger:
            DialogFlow(state, h.catalog).go(move.trigger, came_from)

    @staticmethod
    def _next_page(state: DialogState, pages: int) -> None:
        if state.page + 1 < pages:
            state.page += 1
        else:
            state.hint = "no_more"

    async def _answer(self, h: Hopping, screen: Screen, filled: Filled, key: str) -> Move:
        if screen.prompt is not None:
            return await screen.typed(h, key)
        if not (key.isascii() and key.isdigit()) or not 1 <= int(key) <= len(filled.choices):
            return Move(None, hint="wrong_key")
        choice = filled.choices[int(key) - 1]
        if choice.refusal:
            return Move(None, hint=choice.refusal)
        return await (screen.pick or plain_trigger)(h, choice)

    async def _fill(self, h: Hopping) -> Filled:
        try:
            return await self._filled(h, SCREENS[h.state.screen])
        except ChopbarError:
            DialogFlow(h.state, h.catalog).home()
            h.state.hint = "wrong_key"
            return await self._filled(h, SCREENS[h.state.screen])

    async def _filled(self, h: Hopping, screen: Screen) -> Filled:
        if screen.cached_by is None:
            return await (screen.fill or _no_fill)(h)
        key = (h.catalog.version, h.state.language, screen.name, screen.cached_by(h))
        found = self.filled.get(key)
        return found if found is not None else self.filled.put(key, await screen.fill(h))

    async def show(self, h: Hopping) -> tuple[View, Shown]:
        """The screen the hop ends on, rendered for its channel (kept, for the catalog's screens)."""
        screen = SCREENS[h.state.screen]
        if screen.cached_by is None:
            return self._render(h, await self._fill(h))
        key = (h.catalog.version, h.state.language, screen.name, screen.cached_by(h), h.hop.channel, h.state.page, h.state.hint)
        found = self.shown.get(key)
        if found is not None:
            return found
        rendered = self._render(h, await self._fill(h))
        if h.state.screen == screen.name:  # not sent home by a list that could not be filled
            self.shown.put(key, rendered)
        return rendered

    def _render(self, h: Hopping, filled: Filled) -> tuple[View, Shown]:
        view = self._view(h, filled)
        return view, self.renderers[h.hop.channel](view)

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
