"""Where dialog sessions live between hops: process memory by default, Redis when configured.

Values are small JSON documents with a time to live, written and read with orjson (every hop
reads and writes its session; the standard library's json costs several times more). With
Redis, nothing of a session stays in a web process, so any process behind the balancer can
answer the next hop. While Redis is away, the dialogs' store falls back to process memory
(`FallbackStore`).
"""
import time
from collections import OrderedDict
from typing import Any, Protocol

import orjson

from channels.outages import Watch, which


class SessionStore(Protocol):
    async def get(self, key: str) -> dict[str, Any] | None: ...
    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]: ...  # one round trip
    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int: ...  # bytes stored
    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
    ) -> dict[str, int]: ...  # `counts`: counters to add one to, key -> window opened by its first count
    async def delete(self, key: str) -> None: ...


def encode(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


decode = orjson.loads


class MemoryStore:
    """In-process, bounded: the least recently written sessions go first when it is full."""

    def __init__(self, max_entries: int = 100_000, clock=time.monotonic) -> None:
        self.entries: OrderedDict[str, tuple[float, bytes | str]] = OrderedDict()
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
        return decode(raw)

    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        return [await self.get(key) for key in keys]

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        self.entries[key] = (self.clock() + ttl_s, raw)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return len(raw)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
    ) -> dict[str, int]:
        for key in deletes:
            await self.delete(key)
        for key, window_s in (counts or {}).items():
            self._count(key, window_s)
        return {key: await self.put(key, value, ttl_s) for key, (value, ttl_s) in puts.items()}

    def _count(self, key: str, window_s: int) -> None:
        now = self.clock()
        expires, raw = self.entries.get(key, (0.0, "0"))
        if expires <= now:
            expires, raw = now + window_s, "0"
        self.entries[key] = (expires, str(int(raw) + 1))

    async def delete(self, key: str) -> None:
        self.entries.pop(key, None)


# A hop's writes: KEYS are the keys to delete, the counters to add one to, then the values to
# set; ARGV is how many deletes and counters, each counter's window (its first count opens it:
# EXPIRE NX), then each value with its time to live. Each key stands alone, as they would in
# a pipeline; a script makes them one command.
WRITE_HOP = """
local deletes, counts = tonumber(ARGV[1]), tonumber(ARGV[2])
local k, a = 1, 3
for _ = 1, deletes do redis.call('DEL', KEYS[k]); k = k + 1 end
for _ = 1, counts do
  redis.call('INCR', KEYS[k]); redis.call('EXPIRE', KEYS[k], ARGV[a], 'NX'); k = k + 1; a = a + 1
end
while k <= #KEYS do redis.call('SET', KEYS[k], ARGV[a], 'EX', ARGV[a + 1]); k = k + 1; a = a + 2 end
return 0
"""


class RedisStore:
    """Sessions in Redis; while Redis is away every call raises ServiceAway (a 503, or a
    message kept for later), promptly: the watch lets one try through a second."""

    def __init__(self, redis, prefix: str = "chopbar:", watch: Watch | None = None) -> None:
        self.redis = redis
        self.prefix = prefix
        self.watch = watch or Watch("redis")
        self._write_hop = redis.register_script(WRITE_HOP)  # EVALSHA, loaded again should Redis forget it

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.watch.call(self.redis.get, self.prefix + key)
        return None if raw is None else decode(raw)

    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        found = await self.watch.call(self.redis.mget, [self.prefix + key for key in keys])
        return [None if raw is None else decode(raw) for raw in found]

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        await self.watch.call(self.redis.set, self.prefix + key, raw, ex=ttl_s)
        return len(raw)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
    ) -> dict[str, int]:
        """Every write of a hop in one command (`WRITE_HOP`): a pipeline of the same commands
        cost redis-py about twice as much CPU, packing and parsing each command and reply."""
        counts = counts or {}
        keys = [self.prefix + key for key in (*deletes, *counts, *puts)]
        args: list[Any] = [len(deletes), len(counts), *counts.values()]
        sizes = {}
        for key, (value, ttl_s) in puts.items():
            raw = encode(value)
            args += (raw, ttl_s)
            sizes[key] = len(raw)
        await self.watch.call(self._write_hop, keys, args)
        return sizes

    async def delete(self, key: str) -> None:
        await self.watch.call(self.redis.delete, self.prefix + key)


class FallbackStore:
    """Redis, or this process's memory while Redis is away.

    Good for USSD dialogs: every hop carries the session's whole path, so a hop that finds no
    session (Redis away, or its session kept by another process) rebuilds it from the keys,
    and an order placed from the session stays single by its origin key. Once Redis answers,
    hops read it again; a session it holds from before the outage is a prefix of the keys,
    so only the newer keys are applied on it.
    """

    def __init__(self, primary: RedisStore, spare: MemoryStore | None = None) -> None:
        self.primary = primary
        self.spare = spare or MemoryStore(max_entries=20_000)

    async def _either(self, name: str, *args):
        try:
            return await getattr(self.primary, name)(*args)
        except Exception as exc:
            if which(exc) != "redis":
                raise
        return await getattr(self.spare, name)(*args)

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self._either("get", key)

    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        return await self._either("get_many", *keys)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        return await self._either("put", key, value, ttl_s)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
    ) -> dict[str, int]:
        return await self._either("write", puts, deletes, counts)

    async def delete(self, key: str) -> None:
        await self._either("delete", key)
