"""Catalog changes reaching every web process within seconds: the version each process reads
every few seconds (`core.catalog.CatalogCache.watch`), and, when Redis is configured, an
announcement on a channel that makes every process read it at once.

This process's own commits drop its snapshot at once (the next read reloads); another's reach
it through the announcement or the next version read, and are reloaded in the background, so
no hop waits on the reload. While Redis is away the version reads alone carry the change.
"""
import asyncio
import logging

from channels.outages import Watch, which
from core.catalog import CatalogCache

log = logging.getLogger(__name__)
POLL_S = 1.0  # how often the listener looks up from the subscription


class CatalogNews:
    def __init__(self, cache: CatalogCache, redis=None, prefix: str = "chopbar:", watch: Watch | None = None,
                 every_s: float = 2.0) -> None:
        self.cache = cache
        self.redis = redis
        self.channel = f"{prefix}catalog-changed"
        self.watch = watch or Watch("redis")
        self.every_s = every_s
        self.tasks: set[asyncio.Task] = set()

    def committed(self) -> None:
        """The database's catalog listener: this process's snapshot goes now, the others' at the announcement."""
        self.cache.invalidate()
        if self.redis is not None:
            task = asyncio.ensure_future(self._announce())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _announce(self) -> None:
        try:
            await self.watch.call(self.redis.publish, self.channel, "1")
        except Exception as exc:
            if which(exc) != "redis":
                raise  # Redis away: the other processes read the version within every_s

    async def run(self) -> None:
        """The version reads, and the announcements when Redis is configured; until cancelled."""
        jobs = [self.cache.watch(self.every_s)]
        if self.redis is not None:
            jobs.append(self._listen())
        await asyncio.gather(*jobs)

    async def _listen(self) -> None:
        while True:
            try:
                await self._subscribed()
            except Exception as exc:
                if which(exc) == "redis":
                    self.watch.failed(exc)
                else:  # never stop listening for good: say it, and subscribe again
                    log.exception("catalog listener failed")
                await asyncio.sleep(self.watch.backoff_s(0.25, cap_s=5.0))

    async def _subscribed(self) -> None:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self.watch.answered()
            self.cache.nudge()  # what was announced while we were not listening
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=POLL_S)
                if message is not None and message.get("type") == "message":
                    self.cache.nudge()
        finally:
            try:
                await pubsub.aclose()
            except Exception as exc:  # closing a connection Redis already dropped
                if which(exc) != "redis":
                    raise
