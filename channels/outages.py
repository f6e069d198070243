"""Outages: which failures mean Redis or the database is away, and a watch on each that says so
in one log line when it goes and one when it is back.
"""
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from redis import exceptions as redis_errors
from sqlalchemy import exc as db_errors

from core.errors import Unavailable

log = logging.getLogger("chopbar.outages")
T = TypeVar("T")

RETRY_AFTER_S = 5  # what a 503 asks the caller to wait: outages we ride out last seconds to minutes
RECHECK_S = 1.0  # while a service is away, one call a second tries it; the others go round it at once

# Redis refusing to work: unreachable, too slow, or a replica that cannot take writes.
REDIS_ERRORS = (
    redis_errors.ConnectionError, redis_errors.TimeoutError, redis_errors.ReadOnlyError, redis_errors.MasterDownError,
)
# The database's own words for "not now"; a dropped connection comes as a DBAPIError marked
# connection_invalidated, and a refused one raw from asyncpg or aiosqlite as an OSError (see
# _raised_by_database: an OSError elsewhere, a client hanging up or a provider unreachable, is not ours).
DATABASE_ERRORS = (
    db_errors.OperationalError, db_errors.InterfaceError, db_errors.TimeoutError,
    asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
)
DATABASE_CODE = ("/sqlalchemy/", "/asyncpg/", "/aiosqlite/")


class ServiceAway(Unavailable):
    """Redis or the database did not answer: nothing changed, try again shortly (503)."""

    def __init__(self, service: str) -> None:
        super().__init__(f"the service is briefly unavailable ({service} is not answering): try again shortly")
        self.service = service


def which(exc: BaseException) -> str | None:
    """"redis" or "database" when `exc` (or what caused it) says that service is away, else None."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, ServiceAway):
            return exc.service
        if isinstance(exc, REDIS_ERRORS):
            return "redis"
        if isinstance(exc, db_errors.DBAPIError) and exc.connection_invalidated:
            return "database"
        if isinstance(exc, DATABASE_ERRORS) or (isinstance(exc, OSError) and _raised_by_database(exc)):
            return "database"
        exc, seen = exc.__cause__, seen + 1
    return None


def _raised_by_database(exc: OSError) -> bool:
    """Whether the OSError came out of the database's driver or pool (a refused connection)."""
    tb = exc.__traceback__
    while tb is not None:
        if any(part in tb.tb_frame.f_code.co_filename for part in DATABASE_CODE):
            return True
        tb = tb.tb_next
    return False


def is_outage(exc: BaseException) -> bool:
    return which(exc) is not None


class Watch:
    """What this process last saw of one service.

    Logs one warning when the service goes away and one line when it answers again (not a
    traceback per request); while it is away, `call` lets one attempt through every
    RECHECK_S and fails the others at once, so nobody queues behind a dead socket.
    """

    def __init__(self, service: str, *, recheck_s: float = RECHECK_S, clock=time.monotonic) -> None:
        self.service = service
        self.recheck_s = recheck_s
        self.clock = clock
        self.away_since: float | None = None
        self.retry_at = 0.0
        self.failures = 0

    @property
    def away(self) -> bool:
        return self.away_since is not None

    def skipping(self) -> bool:
        return self.away_since is not None and self.clock() < self.retry_at

    def failed(self, exc: BaseException) -> None:
        now = self.clock()
        if self.away_since is None:
            self.away_since = now
            log.warning(f"{self.service} unreachable", extra={"fields": {"service": self.service, "error": repr(exc)[:240]}})
        self.failures += 1
        self.retry_at = now + self.recheck_s

    def answered(self) -> None:
        if self.away_since is not None:
            log.warning(f"{self.service} back", extra={"fields": {
                "service": self.service, "away_s": round(self.clock() - self.away_since, 1), "failures": self.failures,
            }})
            self.away_since, self.failures = None, 0

    def backoff_s(self, base_s: float, cap_s: float = 30.0) -> float:
        """How long a loop that keeps meeting the outage should wait before its next try."""
        return min(base_s * 2 ** min(max(self.failures - 1, 0), 10), cap_s)

    async def call(self, fn: Callable[..., Awaitable[T]], *args, **kwargs) -> T:
        """`fn(*args)`, with its outage seen, logged and raised as ServiceAway."""
        if self.skipping():
            raise ServiceAway(self.service)
        try:
            result = await fn(*args, **kwargs)
        except Exception as exc:
            if which(exc) != self.service:
                raise
            self.failed(exc)
            raise ServiceAway(self.service) from exc
        self.answered()
        return result
