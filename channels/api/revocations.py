"""Access tokens refused before they expire: by token id, by refresh family, or every token of
an account issued before a moment. Kept in Redis when configured (every web process sees a
revocation at once), else in this process; each entry lives as long as an access token can.
"""
import time
from typing import Protocol


class Revocations(Protocol):
    async def revoke(self, key: str, ttl_s: int, value: float = 1.0) -> None: ...
    async def values(self, *keys: str) -> list[float | None]: ...  # one round trip


class MemoryRevocations:
    def __init__(self, clock=time.monotonic) -> None:
        self.entries: dict[str, tuple[float, float]] = {}  # key -> (expires, value)
        self.clock = clock

    async def revoke(self, key: str, ttl_s: int, value: float = 1.0) -> None:
        now = self.clock()
        if len(self.entries) > 100_000:  # forget what has expired
            self.entries = {k: v for k, v in self.entries.items() if v[0] > now}
        self.entries[key] = (now + ttl_s, value)

    async def values(self, *keys: str) -> list[float | None]:
        now = self.clock()
        found = [self.entries.get(key) for key in keys]
        return [entry[1] if entry and entry[0] > now else None for entry in found]


class RedisRevocations:
    def __init__(self, redis, prefix: str = "chopbar:") -> None:
        self.redis = redis
        self.prefix = prefix + "revoked:"

    async def revoke(self, key: str, ttl_s: int, value: float = 1.0) -> None:
        await self.redis.set(self.prefix + key, repr(value), ex=max(ttl_s, 1))

    async def values(self, *keys: str) -> list[float | None]:
        found = await self.redis.mget([self.prefix + key for key in keys])
        return [None if raw is None else float(raw) for raw in found]
