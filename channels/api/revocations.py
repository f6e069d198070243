"""The stored revocation list of access tokens (`core.revocation` says what goes in it): in Redis
when configured, so every web process sees a revocation at once, else in this process. Each entry
lives as long as an access token can, then goes by itself.

Redis not answering is `Unavailable` (503), on a read as on a write: a revoked token never passes
because the list could not be read, and a revocation that could not be stored is not reported done.
"""
import time
from typing import Protocol

from redis.exceptions import RedisError

from core.errors import Unavailable
from core.revocation import Revocation

DOWN = "tokens cannot be checked right now: try again in a moment"


class Revocations(Protocol):
    async def revoke(self, revocation: Revocation) -> None: ...
    async def values(self, *keys: str) -> list[str | None]: ...  # one round trip


class MemoryRevocations:
    def __init__(self, clock=time.monotonic) -> None:
        self.entries: dict[str, tuple[float, str]] = {}  # key -> (expires, value)
        self.clock = clock

    async def revoke(self, revocation: Revocation) -> None:
        now = self.clock()
        if len(self.entries) > 100_000:  # forget what has expired
            self.entries = {k: v for k, v in self.entries.items() if v[0] > now}
        self.entries[revocation.key] = (now + revocation.ttl_s, revocation.value)

    async def values(self, *keys: str) -> list[str | None]:
        now = self.clock()
        found = [self.entries.get(key) for key in keys]
        return [entry[1] if entry and entry[0] > now else None for entry in found]


class RedisRevocations:
    def __init__(self, redis, prefix: str = "chopbar:") -> None:
        self.redis = redis
        self.prefix = prefix + "revoked:"

    async def revoke(self, revocation: Revocation) -> None:
        try:
            await self.redis.set(self.prefix + revocation.key, revocation.value, ex=max(revocation.ttl_s, 1))
        except (RedisError, OSError, TimeoutError) as exc:
            raise Unavailable(DOWN) from exc

    async def values(self, *keys: str) -> list[str | None]:
        try:
            return await self.redis.mget([self.prefix + key for key in keys])
        except (RedisError, OSError, TimeoutError) as exc:
            raise Unavailable(DOWN) from exc
