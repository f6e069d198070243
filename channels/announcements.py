"""Announcements between web processes over one Redis pub/sub channel: published without making
the announcer wait, and heard for good, subscribing again (backing off) after an outage.

The real-time hub (order events) and the catalog news (menu changes) both speak through one.
"""
import asyncio
import logging
from collections.abc import Callable

from channels.outages import Watch, which

log = logging.getLogger(__name__)
POLL_S = 1.0  # how often the listener looks up from the subscription (and Redis health is checked)


class Announcements:
    def __init__(self, redis, channel: str, watch: Watch, *, what: str) -> None:
        self.redis = redis
        self.channel = channel
        self.watch = watch
        self.what = what  # named in the log when listening fails for another reason than Redis
        self.tasks: set[asyncio.Task] = set()  # announcements under way, awaited at shutdown

    def publish(self, data: str, *, if_away: Callable[[], None] = lambda: None) -> None:
        """Announces in the background; while Redis is away `if_away` runs instead."""
        task = asyncio.ensure_future(self._publish(data, if_away))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _publish(self, data: str, if_away: Callable[[], None]) -> None:
        try:
            await self.watch.call(self.redis.publish, self.channel, data)
        except Exception as exc:
            if which(exc) != "redis":
                raise
            if_away()

    async def listen(self, heard: Callable[[bytes | str], None], *, subscribed: Callable[[], None]) -> None:
        """Until cancelled: `heard(data)` for each announcement, `subscribed()` each time the
        subscription is (again) in place, for what was announced while nobody listened."""
        while True:
            try:
                await self._subscribed(heard, subscribed)
            except Exception as exc:
                if which(exc) == "redis":
                    self.watch.failed(exc)
                else:  # never stop listening for good: say it, and subscribe again
                    log.exception("%s listener failed", self.what)
                await asyncio.sleep(self.watch.backoff_s(0.25, cap_s=5.0))

    async def _subscribed(self, heard, subscribed) -> None:
        pubsub = self.redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            self.watch.answered()
            subscribed()
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=POLL_S)
                if message is not None and message.get("type") == "message":
                    heard(message["data"])
        finally:
            try:
                await pubsub.aclose()
            except Exception as exc:  # closing a connection Redis already dropped
                if which(exc) != "redis":
                    raise
