"""Catalog changes reaching every web process within seconds: the version each process reads
every few seconds (`core.catalog.CatalogCache.watch`), and, when Redis is configured, an
announcement on a channel that makes every process read it at once.

This process's own commits drop its snapshot at once (the next read reloads); another's reach
it through the announcement or the next version read, and are reloaded in the background, so
no hop waits on the reload. While Redis is away the version reads alone carry the change.
"""
import asyncio

from channels.announcements import Announcements
from channels.outages import Watch
from core.catalog import CatalogCache



class CatalogNews:
    def __init__(self, cache: CatalogCache, redis=None, prefix: str = "chopbar:", watch: Watch | None = None,
                 every_s: float = 2.0) -> None:
        self.cache = cache
        self.redis = redis
        self.every_s = every_s
        self.news = Announcements(redis, f"{prefix}catalog-changed", watch or Watch("redis"), what="catalog")

    @property
    def tasks(self) -> set[asyncio.Task]:
        return self.news.tasks

    def committed(self) -> None:
        """The database's catalog listener: this process's snapshot goes now, the others' at the
        announcement (while Redis is away, at their next version read, within every_s)."""
        self.cache.invalidate()
        if self.redis is not None:
            self.news.publish("1")

    async def run(self) -> None:
        """The version reads, and the announcements when Redis is configured; until cancelled."""
        jobs = [self.cache.watch(self.every_s)]
        if self.redis is not None:
            jobs.append(self.news.listen(lambda _: self.cache.nudge(), subscribed=self.cache.nudge))
        await asyncio.gather(*jobs)
