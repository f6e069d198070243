"""Where dialog sessions live between hops: process memory by default, Redis when configured.

Values are small JSON documents with a time to live, written and read with orjson (every hop
reads and writes its session; the standard library's json costs several times more). With
Redis, any process behind the balancer can answer the next hop: what a process keeps of a
session is only a guess, proven by the store before anything rests on it (`RedisStore.read`).
While Redis is away, the dialogs' store falls back to process memory (`FallbackStore`).

A hop reads its keys with `read` and writes with `write`; `write` may be conditional
(`expect`: each key must still hold the text the hop started from, else nothing is written
and `Stale` carries what the store holds) and may check a counter (`limit`: at or over it,
nothing is written and `OverLimit` is raised).
"""
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from channels.outages import Watch, which


Text = str | bytes | None  # a value as stored (None: absent), compared by conditional writes


@dataclass(frozen=True)
class Read:
    """Some keys' values as a hop starts (None: absent), the texts they were stored as, and a
    counter read with them. `recalled`: not read from the store but this process's own last
    write or read of the keys, and the counter unknown (None); a write that `expect`s these
    texts proves them fresh, or finds them stale and writes nothing."""

    values: tuple[dict[str, Any] | None, ...]
    texts: tuple[Text, ...]
    count: int | None = None
    recalled: bool = False


class Stale(Exception):
    """A conditional write found a key changed since the hop's read: nothing was written.
    `fresh` is what the store holds now (read in the same round trip)."""

    def __init__(self, fresh: Read) -> None:
        super().__init__("the store moved on since this read")
        self.fresh = fresh


class OverLimit(Exception):
    """A write's counter was already at its limit: nothing was written."""


class SessionStore(Protocol):
    async def get(self, key: str) -> dict[str, Any] | None: ...
    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]: ...  # one round trip
    async def read(self, keys: tuple[str, ...], counter: str | None = None, *, recall: bool = False) -> Read: ...
    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int: ...  # bytes stored
    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
        *, expect: dict[str, Text] | None = None, limit: tuple[str, int] | None = None,
    ) -> dict[str, int]: ...  # `counts`: counters to add one to, key -> window opened by its first count
    async def delete(self, key: str) -> None: ...


def encode(value: dict[str, Any]) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


decode = orjson.loads


def _as_bytes(text: Text) -> bytes:
    return text.encode() if isinstance(text, str) else (text or b"")


def same_texts(these: tuple[Text, ...], those: tuple[Text, ...]) -> bool:
    """Whether two reads found the same texts, whichever of str and bytes each store gives."""
    return these == those or [_as_bytes(t) for t in these] == [_as_bytes(t) for t in those]


def _decoded(texts) -> tuple[dict[str, Any] | None, ...]:
    return tuple(None if text is None else decode(text) for text in texts)


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

    def _text(self, key: str) -> Text:
        found = self.entries.get(key)
        if found is None or found[0] <= self.clock():
            return None
        return found[1]

    async def read(self, keys: tuple[str, ...], counter: str | None = None, *, recall: bool = False) -> Read:
        """Memory is this process's own: nothing to recall, every read is fresh."""
        texts = tuple(self._text(key) for key in keys)
        count = self._text(counter) if counter is not None else None
        return Read(_decoded(texts), texts, int(count or 0) if counter is not None else None)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        self.entries[key] = (self.clock() + ttl_s, raw)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return len(raw)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
        *, expect: dict[str, Text] | None = None, limit: tuple[str, int] | None = None,
    ) -> dict[str, int]:
        if expect and not same_texts(tuple(self._text(key) for key in expect), tuple(expect.values())):
            raise Stale(await self.read(tuple(expect), limit[0] if limit else None))
        if limit and int(self._text(limit[0]) or 0) >= limit[1]:
            raise OverLimit()
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


# A hop's writes. KEYS: the keys expected to hold given texts, the limit's counter if any, the
# keys to delete, the counters to add one to, then the values to set. ARGV: how many expected
# keys, whether there is a limit, how many deletes and counters; each expected text ('' for
# absent); the limit; each counter's window (its first count opens it: EXPIRE NX); each value
# with its time to live. A key that no longer holds its expected text writes nothing and
# answers {'stale', each expected key's text, the counter}; a counter at its limit writes
# nothing and answers {'over'}; else every write is made and the answer is {'written'}.
WRITE_HOP = """
local expected, limited = tonumber(ARGV[1]), tonumber(ARGV[2])
local deletes, counts = tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, expected do
  if (redis.call('GET', KEYS[i]) or '') ~= ARGV[4 + i] then
    local found = {'stale'}
    for j = 1, expected do found[j + 1] = redis.call('GET', KEYS[j]) end
    if limited == 1 then found[expected + 2] = redis.call('GET', KEYS[expected + 1]) end
    return found
  end
end
local k, a = expected + 1, 5 + expected
if limited == 1 then
  if tonumber(redis.call('GET', KEYS[k]) or '0') >= tonumber(ARGV[a]) then return {'over'} end
  k, a = k + 1, a + 1
end
for _ = 1, deletes do redis.call('DEL', KEYS[k]); k = k + 1 end
for _ = 1, counts do
  redis.call('INCR', KEYS[k]); redis.call('EXPIRE', KEYS[k], ARGV[a], 'NX'); k = k + 1; a = a + 1
end
while k <= #KEYS do redis.call('SET', KEYS[k], ARGV[a], 'EX', ARGV[a + 1]); k = k + 1; a = a + 2 end
return {'written'}
"""
RECALLED_KEYS = 20_000  # texts kept of keys last written or read here: 10 000 sessions, about 10 MB
_UNKNOWN = object()


class RedisStore:
    """Sessions in Redis; while Redis is away every call raises ServiceAway (a 503, or a
    message kept for later), promptly: the watch lets one try through a second.

    It remembers the texts it last wrote or read of the keys a hop reads (`recent`, the least
    recently used dropped first), so that `read(..., recall=True)` can answer from them
    without a round trip. What it remembers may be stale: another process behind the
    balancer may have answered a hop of the same session since. It is never trusted as it is:
    a hop that starts from it writes with `expect`, and the script compares, inside Redis and
    in the same command as the writes, each key with the text the hop started from; a key
    another process wrote since differs, so nothing is written and the hop starts again from
    what Redis holds (`Stale`, read in that same round trip). Equal texts are the same
    session (a session is its text), so a hop that passes the check computed exactly what it
    would have from a read. The hop counter, which every process adds to, is not remembered:
    the same script checks it against the limit before writing.
    """

    def __init__(self, redis, prefix: str = "chopbar:", watch: Watch | None = None, *,
                 recalled_keys: int = RECALLED_KEYS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.watch = watch or Watch("redis")
        self._write_hop = redis.register_script(WRITE_HOP)  # EVALSHA, loaded again should Redis forget it
        self.recent: OrderedDict[str, str | None] = OrderedDict()
        self.recalled_keys = recalled_keys

    def _remember(self, key: str, text: str | None) -> None:
        self.recent[key] = text
        self.recent.move_to_end(key)
        if len(self.recent) > self.recalled_keys:
            self.recent.popitem(last=False)

    def _forget(self, keys) -> None:
        for key in keys:
            self.recent.pop(key, None)

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.watch.call(self.redis.get, self.prefix + key)
        return None if raw is None else decode(raw)

    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        found = await self.watch.call(self.redis.mget, [self.prefix + key for key in keys])
        return [None if raw is None else decode(raw) for raw in found]

    async def read(self, keys: tuple[str, ...], counter: str | None = None, *, recall: bool = False) -> Read:
        """The keys and the counter in one `MGET`; with `recall`, the keys' texts as this process
        last wrote or read them when it knows them all (no round trip, the counter unknown)."""
        if recall:
            texts = tuple(self.recent.get(key, _UNKNOWN) for key in keys)
            if _UNKNOWN not in texts:
                for key in keys:
                    self.recent.move_to_end(key)
                return Read(_decoded(texts), texts, None, recalled=True)
        names = [self.prefix + key for key in keys]
        if counter is not None:
            names.append(self.prefix + counter)
        found = await self.watch.call(self.redis.mget, names)
        return self._found(keys, found, counter is not None)

    def _found(self, keys: tuple[str, ...], found: list, counted: bool) -> Read:
        texts = tuple(found[: len(keys)])
        for key, text in zip(keys, texts):
            self._remember(key, text)
        count = int(found[len(keys)] or 0) if counted else None
        return Read(_decoded(texts), texts, count)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        raw = encode(value)
        self.recent.pop(key, None)
        await self.watch.call(self.redis.set, self.prefix + key, raw, ex=ttl_s)
        return len(raw)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
        *, expect: dict[str, Text] | None = None, limit: tuple[str, int] | None = None,
    ) -> dict[str, int]:
        """Every write of a hop in one command (`WRITE_HOP`): a pipeline of the same commands
        cost redis-py about twice as much CPU, packing and parsing each command and reply."""
        counts, expect = counts or {}, expect or {}
        limited = (limit[0],) if limit else ()
        keys = [self.prefix + key for key in (*expect, *limited, *deletes, *counts, *puts)]
        args: list[Any] = [len(expect), len(limited), len(deletes), len(counts)]
        args += ("" if text is None else text for text in expect.values())
        if limit:
            args.append(limit[1])
        args += counts.values()
        texts, sizes = {}, {}
        for key, (value, ttl_s) in puts.items():
            raw = encode(value)
            texts[key], sizes[key] = raw.decode(), len(raw)
            args += (raw, ttl_s)
        try:
            answer = await self.watch.call(self._write_hop, keys, args)
        except BaseException:  # written or not, this process no longer knows
            self._forget((*expect, *deletes, *puts))
            raise
        if answer[0] == "stale":
            found = [*answer[1:], None, None][: len(expect) + len(limited)]  # a missing counter may end the reply
            raise Stale(self._found(tuple(expect), found, bool(limit)))
        if answer[0] == "over":
            raise OverLimit()
        for key in deletes:
            self._remember(key, None)
        for key, text in texts.items():
            self._remember(key, text)
        return sizes

    async def delete(self, key: str) -> None:
        self.recent.pop(key, None)
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

    async def _either(self, name: str, *args, **kwargs):
        try:
            return await getattr(self.primary, name)(*args, **kwargs)
        except Exception as exc:
            if which(exc) != "redis":
                raise
        return await getattr(self.spare, name)(*args, **kwargs)

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self._either("get", key)

    async def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        return await self._either("get_many", *keys)

    async def read(self, keys: tuple[str, ...], counter: str | None = None, *, recall: bool = False) -> Read:
        return await self._either("read", keys, counter, recall=recall)

    async def put(self, key: str, value: dict[str, Any], ttl_s: int) -> int:
        return await self._either("put", key, value, ttl_s)

    async def write(
        self, puts: dict[str, tuple[dict[str, Any], int]], deletes: tuple[str, ...] = (), counts: dict[str, int] | None = None,
        *, expect: dict[str, Text] | None = None, limit: tuple[str, int] | None = None,
    ) -> dict[str, int]:
        """With `expect`, the spare compares its own texts: a hop that began from what Redis
        held starts again from the spare's (a prefix of its keys, or nothing)."""
        return await self._either("write", puts, deletes, counts, expect=expect, limit=limit)

    async def delete(self, key: str) -> None:
        await self._either("delete", key)
