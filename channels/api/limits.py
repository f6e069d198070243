"""Rate limits: windows counted per key (a phone number, a client), in Redis when configured
(shared by every web process), else in this process; while Redis is away, in this process.
A window opens at a key's first hit and lasts its length. The API answers over the limit
with 429 and Retry-After; the phone channels use the same counters (channels.number_limits).

Limits (per window): 100 requests in 15 minutes in general, 5 sign-in codes in 15 minutes,
3 payment starts in 5 minutes.
"""
import json
import time
from dataclasses import dataclass

from aiohttp import web

from channels.api.requests import claims_of
from channels.middleware import error_body
from channels.outages import Watch, which
from core.errors import Unauthorized

GENERAL = (100, 15 * 60)
AUTH = (5, 15 * 60)
PAYMENT = (3, 5 * 60)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int
    count: int = 0  # hits in the window so far, this one included
    limit: int = 0


class MemoryCounter:
    def __init__(self, clock=time.time) -> None:
        self.counts: dict[str, tuple[float, int]] = {}  # key -> (window end, count)
        self.clock = clock

    async def hit(self, key: str, limit: int, window_s: int) -> Verdict:
        now = self.clock()
        ends, count = self.counts.get(key, (0.0, 0))
        if ends <= now:
            ends, count = now + window_s, 0
        count += 1
        self.counts[key] = (ends, count)
        if len(self.counts) > 200_000:  # forget finished windows
            self.counts = {k: v for k, v in self.counts.items() if v[0] > now}
        return Verdict(count <= limit, max(int(ends - now + 0.999), 1), count, limit)


class RedisCounter:
    def __init__(self, redis, prefix: str, watch: Watch | None = None) -> None:
        self.redis = redis
        self.prefix = prefix
        self.watch = watch or Watch("redis")

    async def hit(self, key: str, limit: int, window_s: int) -> Verdict:
        name = f"{self.prefix}rate:{key}:{window_s}"

        async def count() -> tuple[int, int]:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(name, 0, ex=window_s, nx=True)  # the first hit opens the window
                pipe.incr(name)
                pipe.ttl(name)
                _, hits, ttl = await pipe.execute()
            return hits, ttl

        hits, ttl = await self.watch.call(count)
        return Verdict(hits <= limit, max(ttl, 1), hits, limit)


class FallbackCounter:
    """Redis, or this process while Redis is away: a limit counted per process for a while
    is better than refusing everyone, or letting a flood through."""

    def __init__(self, primary: RedisCounter, spare: MemoryCounter | None = None) -> None:
        self.primary = primary
        self.spare = spare or MemoryCounter()

    async def hit(self, key: str, limit: int, window_s: int) -> Verdict:
        try:
            return await self.primary.hit(key, limit, window_s)
        except Exception as exc:
            if which(exc) != "redis":
                raise
        return await self.spare.hit(key, limit, window_s)


class Limited(web.HTTPTooManyRequests):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            text=json.dumps(error_body("rate_limited", f"too many requests: try again in {retry_after_s} s")),
            content_type="application/json",
            headers={"Retry-After": str(max(retry_after_s, 1))},
        )


async def check(counter, key: str, limit: tuple[int, int]) -> None:
    verdict = await counter.hit(key, *limit)
    if not verdict.allowed:
        raise Limited(verdict.retry_after_s)


def client_key(request: web.Request) -> str:
    """Who is asking: the signed-in account (so its phone number) when its token is valid, else
    the address. A refreshed token counts with the account's earlier ones; a forged one cannot
    spend someone else's allowance."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        try:
            return "account:" + claims_of(request)["sub"]
        except Unauthorized:
            pass
    return "ip:" + (request.remote or "unknown")


def limiter(counter, general: tuple[int, int] = GENERAL):
    @web.middleware
    async def limit(request: web.Request, handler):
        if request.path.startswith("/api/"):
            await check(counter, f"general:{client_key(request)}", general)
        return await handler(request)

    return limit
