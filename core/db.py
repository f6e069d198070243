"""The unit of work: one database transaction and the clock the domain reads time from; the
engines under it (a pool that pings only idle PostgreSQL connections, a quick synchronous
reader for a SQLite file)."""
import asyncio
import sqlite3
import time
from collections import OrderedDict, namedtuple
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import Engine, Executable, Row, create_engine, event, exc as db_errors
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm.exc import StaleDataError

from core import catalog_versions
from core.errors import Conflict

Clock = Callable[[], datetime]
CONNECT_TIMEOUT_S = 5  # a PostgreSQL connection that takes longer is a server away
PING_IDLE_S = 10  # a pooled PostgreSQL connection idle this long is pinged before use
QUICK_READ_BUSY_S = 1  # a WAL reader waits on nobody, except a file being recovered after a crash


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Unit:
    """What a domain service works with: a session, made at its first use, and the time.

    A unit nobody asks for its session (a USSD hop that only browses the catalog) makes none:
    no session object, no connection, nothing to commit or roll back.
    """

    def __init__(
        self, sessions: Callable[[], AsyncSession], clock: Clock, engine: AsyncEngine | None = None,
        quick: "QuickReader | None" = None,
    ) -> None:
        self._sessions = sessions
        self._engine = engine
        self._quick = quick
        self.opened: AsyncSession | None = None
        self.clock = clock
        self.changed: list[Any] = []  # audit events of this unit, told once it commits

    @property
    def session(self) -> AsyncSession:
        if self.opened is None:
            self.opened = self._sessions()
        return self.opened

    def now(self) -> datetime:
        return self.clock()

    async def first_row(self, statement: Executable, parameters: dict[str, Any] | None = None) -> Row | None:
        """The first row a read returns: in the unit's session once it has one, else on a
        pooled connection of its own in autocommit, with no session made and no transaction
        begun or ended (a dial's one question, who is calling, costs that statement alone).
        On a SQLite file the read is made at once, on the event loop (`quick_reader`)."""
        if self.opened is not None or self._engine is None:
            return (await self.session.execute(statement, parameters)).first()
        if self._quick is not None:
            return self._quick.first_row(statement, parameters)
        async with self._engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            return (await connection.execute(statement, parameters)).first()

    @property
    def is_postgres(self) -> bool:
        bind = self._engine if self._engine is not None else self.session.get_bind()
        return bind.dialect.name == "postgresql"

    @asynccontextmanager
    async def unit(self) -> AsyncIterator["Unit"]:
        """This unit again, for a use case called inside it: its owner commits or rolls back."""
        yield self


class Units(Protocol):
    """Where a use case gets its unit of work: a `Database` opens one of its own, a `Unit`
    lends itself (a dialog hop or a chat message whose own writes commit with the use case's)."""

    def unit(self) -> AbstractAsyncContextManager[Unit]: ...


def make_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    if url.startswith("sqlite"):
        # One connection: SQLite takes one writer at a time anyway, and a queue in the pool is
        # far cheaper than writers sleeping in SQLite's busy handler.
        engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=60)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection, _record):
            # WAL lets readers go on while a writer commits; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # A fixed pool: connections made for a burst and closed after it (SQLAlchemy's overflow) cost
    # a new PostgreSQL session each, tens of milliseconds; under a burst, units wait their turn.
    # A server that does not answer at all fails a connect in seconds, not asyncpg's minute.
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_timeout=30, connect_args={"timeout": CONNECT_TIMEOUT_S},
    )
    ping_when_idle(engine.sync_engine)
    return engine


def ping_when_idle(engine: Engine, idle_s: float = PING_IDLE_S, clock=time.monotonic) -> None:
    """A connection that sat in the pool `idle_s` or more is pinged before a unit uses it, and
    replaced if the server dropped it (a restart, an outage nobody's request saw).

    SQLAlchemy's `pool_pre_ping` pings at every checkout: a round trip on every hop's read, most
    of it for connections handed back a millisecond before. A connection busy in the meantime
    needs none: a server gone since then fails the statement as a disconnect, and SQLAlchemy
    then replaces every connection of the pool at its next checkout.
    """

    @event.listens_for(engine, "checkin")
    def _handed_back(_dbapi_connection, record) -> None:
        record.info["idle_since"] = clock()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        if clock() - record.info.get("idle_since", clock()) < idle_s:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            if not engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise db_errors.DisconnectionError("a pooled connection the server dropped")  # the pool makes a new one


class QuickReader:
    """Reads of a row or two by an index, on a SQLite file, made at once on the event loop.

    Such a read takes SQLite some microseconds; aiosqlite's thread would cost it five hand-offs
    between threads (checkout, isolation level, execute, fetch, reset), and SQLAlchemy's
    execution around one statement (a pooled connection, the statement's cache key, an
    execution context, the result) several times the read again. So a statement is compiled
    once, the first time it is asked for, and read on one sqlite3 connection of its own, when
    neither its parameters nor its columns need converting (ids, numbers, text: what SQLite
    gives as it is); any other goes through a synchronous engine on the same file. Under WAL a
    reader neither waits for the writer nor holds it up, and reads in autocommit what is
    committed: each read is a statement of its own, run to its end (its cursor closed), so no
    snapshot outlives it.
    """

    PLANS = 64  # statements kept compiled: the service reads a handful of them this way

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.engine = create_engine(
            parsed.set(drivername="sqlite"), connect_args={"timeout": QUICK_READ_BUSY_S, "check_same_thread": False},
            pool_size=1, max_overflow=0, pool_reset_on_return=None,
        )
        self.path = parsed.database
        self.connection: sqlite3.Connection | None = None
        self.plans: OrderedDict[int, tuple] = OrderedDict()  # id(statement) -> (statement, (sql, names, defaults) or None, row type)

    def first_row(self, statement: Executable, parameters: dict[str, Any] | None = None) -> Any:
        plan = self.plans.get(id(statement))
        if plan is None or plan[0] is not statement:
            plan = self._plan(statement)
        if plan[1] is None:
            with self.engine.connect() as connection:
                return connection.execute(statement, parameters).first()
        if self.connection is None:
            self.connection = sqlite3.connect(self.path, timeout=QUICK_READ_BUSY_S, check_same_thread=False,
                                              isolation_level=None)
        _, (sql, names, defaults), row = plan
        values = {**defaults, **parameters} if parameters else defaults
        cursor = self.connection.execute(sql, [values[name] for name in names])
        try:
            found = cursor.fetchone()
        finally:
            cursor.close()
        return None if found is None else row._make(found)

    def _plan(self, statement: Executable):
        dialect = self.engine.dialect
        compiled = statement.compile(dialect=dialect)
        columns = getattr(statement, "selected_columns", None)
        plain = (
            columns is not None and not compiled.literal_execute_params and not compiled.post_compile_params
            and all(bind.callable is None and not bind.expanding and bind.type.dialect_impl(dialect).bind_processor(dialect) is None
                    for bind in compiled.binds.values())
            and all(column.type.dialect_impl(dialect).result_processor(dialect, None) is None for column in columns)
        )
        if plain:
            row = namedtuple("QuickRow", [column.key for column in columns], rename=True)
            plan = (statement, (compiled.string, tuple(compiled.positiontup or ()), compiled.params), row)
        else:
            plan = (statement, None, None)
        self.plans[id(statement)] = plan
        if len(self.plans) > self.PLANS:
            self.plans.popitem(last=False)
        return plan

    def dispose(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        self.engine.dispose()


def quick_reader(url: str) -> QuickReader | None:
    """For a SQLite file, the reader of a row or two on the event loop (`QuickReader`). None for
    PostgreSQL and for an in-memory SQLite database (another connection would see another
    database)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return QuickReader(url)


class Database:
    """Owns the engine; hands out units of work that commit on success and roll back on error."""

    def __init__(self, url: str, clock: Clock = utcnow) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.quick = quick_reader(url)
        self.clock = clock
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.listeners: list[Callable[[list[Any]], None]] = []  # told of committed changes (real time)
        self.catalog_listeners: list[Callable[[], None]] = []  # told when a commit changed the catalog

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """A transaction that begins at the first statement: a unit that reads nothing costs nothing."""
        unit = Unit(self.sessions, self.clock, self.engine, self.quick)
        try:
            yield unit
            catalog_changed = False
            if unit.opened is not None and unit.opened.in_transaction():
                catalog_changed = await catalog_versions.bump_if_changed(unit.opened)
                await unit.opened.commit()
            if catalog_changed:
                for listener in self.catalog_listeners:
                    listener()
            if unit.changed:
                for listener in self.listeners:
                    listener(unit.changed)
        except StaleDataError as exc:
            await unit.session.rollback()
            raise Conflict("changed by someone else at the same time; try again") from exc
        except BaseException:
            if unit.opened is not None and unit.opened.in_transaction():
                await unit.opened.rollback()
            raise
        finally:
            if unit.opened is not None:
                await asyncio.shield(unit.opened.close())

    async def close(self) -> None:
        await self.engine.dispose()
        if self.quick is not None:
            self.quick.dispose()
