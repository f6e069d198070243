"""Redis key prefixes for tests: one per test or started process, all under this run's own name,
so that the run deletes at its end whatever its tests left behind (a server process's last
writes, a write after a test's own clean-up) without touching another run's keys."""
import os
import uuid

RUN = f"chopbar-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def prefix(kind: str = "") -> str:
    """A prefix of its own for one test or one process: `<run>-<kind><random>:`."""
    return f"{RUN}-{kind}{uuid.uuid4().hex[:8]}:"


def forget_run(url: str) -> int:
    """Deletes every key this run wrote; how many there were."""
    from redis import Redis

    redis = Redis.from_url(url)
    try:
        keys = list(redis.scan_iter(match=RUN + "-*", count=1000))
        for start in range(0, len(keys), 500):
            redis.delete(*keys[start:start + 500])
        return len(keys)
    finally:
        redis.close()
