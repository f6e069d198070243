"""The unit of work: one database transaction and the clock the domain reads time from."""
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm.exc import StaleDataError

from core.errors import Conflict

Clock = Callable[[], datetime]
CONNECT_TIMEOUT_S = 5  # a PostgreSQL connection that takes longer is a server away


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Unit:
    """What a domain service works with: the open session and the time."""

    session: AsyncSession
    clock: Clock
    changed: list[Any] = field(default_factory=list)  # audit events of this unit, told once it commits

    def now(self) -> datetime:
        return self.clock()

    @property
    def is_postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

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
    # Pre-ping replaces a connection the server dropped (a restart, an outage) before a unit uses
    # it; a server that does not answer at all fails a connect in seconds, not asyncpg's minute.
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_timeout=30, pool_pre_ping=True,
        connect_args={"timeout": CONNECT_TIMEOUT_S},
    )


class Database:
    """Owns the engine; hands out units of work that commit on success and roll back on error."""

    def __init__(self, url: str, clock: Clock = utcnow) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.clock = clock
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.listeners: list[Callable[[list[Any]], None]] = []  # told of committed changes (real time)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[Unit]:
        """A transaction that begins at the first statement: a unit that reads nothing costs nothing."""
        async with self.sessions() as session:
            try:
                unit = Unit(session, self.clock)
                yield unit
                if session.in_transaction():
                    await session.commit()
                if unit.changed:
                    for listener in self.listeners:
                        listener(unit.changed)
            except StaleDataError as exc:
                await session.rollback()
                raise Conflict("changed by someone else at the same time; try again") from exc
            except BaseException:
                if session.in_transaction():
                    await session.rollback()
                raise

    async def close(self) -> None:
        await self.engine.dispose()
