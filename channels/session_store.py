"""Where dialog sessions live between hops: process memory by default, Redis when configured.

Values are small JSON documents with a time to live. With Redis, nothing of a session stays
in a web process, so any process behind the balancer can answer the next hop.
"""
import json
import time
from collections import OrderedDict
from typing import Any, Protocol


class SessionStore(Protocol):
    async def get(self, key: str) -> dict[str, Any] | None: ...
    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int: ...  # bytes stored
    async def delete(self, key: str) -> None: ...


def encode(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class MemoryStore:
    """In-process, bounded: the least recently written sessions go first when it is full."""

    def __init__(self, max_entries: int = 100_000, clock=time.monotonic) -> None:
        self.entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self.max_entries = max_entries
        self.clock = clock

    async def get(self, key: str) -> dict[str, Any] | None:
        found = self.entries.get(key)
        if found is None:
            return None
        expires, raw = found
        if expires <= self.clock():
            self.entries.pop(key, None)
            return None
        return json.loads(raw)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        self.entries[key] = (self.clock() + ttl_s, raw)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return len(raw.encode())

    async def delete(self, key: str) -> None:
        self.entries.pop(key, None)


class RedisStore:
    def __init__(self, redis, prefix: str = "chopbar:") -> None:
        self.redis = redis
        self.prefix = prefix

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        await self.redis.set(self.prefix + key, raw, ex=ttl_s)
        return len(raw.encode())

    async def delete(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)
