"""Fire-and-forget work of a simulator (callbacks, reports), kept alive and awaitable by tests."""
import asyncio
import logging

import aiohttp

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)  # a task nobody holds may be garbage collected mid-flight
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        """A callback the service could not take (it is stopping, or away) is dropped, as a real
        gateway gives up on one: said in one line, not left as an unretrieved task error."""
        self.tasks.discard(task)
        if task.cancelled():
            return
        failure = task.exception()
        if isinstance(failure, (aiohttp.ClientError, OSError, asyncio.TimeoutError)):
            log.info("simulated callback not delivered", extra={"fields": {"error": repr(failure)[:200]}})
        elif failure is not None:
            log.error("simulated callback failed", exc_info=failure)

    async def drain(self) -> None:
        """Waits for everything under way, including what it spawns meanwhile."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
