"""Rate limits for the API: fixed windows counted per phone number and per client, in Redis
when configured (shared by every web process), else in this process. Over the limit: 429
with Retry-After.

Limits (per window): 100 requests in 15 minutes in general, 5 sign-in codes in 15 minutes,
3 payment starts in 5 minutes.
"""
import json
import time
from dataclasses import dataclass

from aiohttp import web

from channels.api.requests import claims_of
from channels.middleware import error_body
from core.errors import Unauthorized

GENERAL = (100, 15 * 60)
AUTH = (5, 15 * 60)
PAYMENT = (3, 5 * 60)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int


class MemoryCounter:
    def __init__(self, clock=time.time) -> None:
        self.counts: dict[str, tuple[int, int]] = {}  # key -> (window start, count)
        self.clock = clock

    async def hit(self, key: str, limit: int, window_s: int) -> Verdict:
        now = int(self.clock())
        start = now - now % window_s
        begun, count = self.counts.get(key, (start, 0))
        count = count + 1 if begun == start else 1
        self.counts[key] = (start, count)
        if len(self.counts) > 200_000:  # forget finished windows
            self.counts = {k: v for k, v in self.counts.items() if v[0] == start}
        return Verdict(count <= limit, start + window_s - now)


class RedisCounter:
    def __init__(self, redis, prefix: str, clock=time.time) -> None:
        self.redis = redis
        self.prefix = prefix
        self.clock = clock

    async def hit(self, key: str, limit: int, window_s: int) -> Verdict:
        now = int(self.clock())
        start = now - now % window_s
        name = f"{self.prefix}rate:{key}:{start}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_s)
            count, _ = await pipe.execute()
        return Verdict(count <= limit, start + window_s - now)


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
