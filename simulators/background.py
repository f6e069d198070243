"""Fire-and-forget work of a simulator (callbacks, reports), kept alive and awaitable by tests."""
import asyncio


class Background:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)  # a task nobody holds may be garbage collected mid-flight
        task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Waits for everything under way, including what it spawns meanwhile."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
