"""A real `chopbar worker` process beside the test's service: same database and Redis, its
senders pointed at the simulators the test server mounts under /sim/."""
import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PATIENCE_S = 120  # only a broken worker takes this long; the test then fails saying what it waited for


def worker_env(settings, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CHOPBAR_DATABASE_URL": settings.database_url, "CHOPBAR_HOST": "127.0.0.1",
           "CHOPBAR_PORT": str(settings.port), "CHOPBAR_SEED_DEMO": "0", "CHOPBAR_LOG_LEVEL": "WARNING",
           "CHOPBAR_REDIS_URL": settings.redis_url, "CHOPBAR_REDIS_PREFIX": settings.redis_prefix}
    return {**env, **{f"CHOPBAR_{name.upper()}": value for name, value in extra.items()}}


async def start_worker(settings, log: Path, **extra: str) -> asyncio.subprocess.Process:
    """`chopbar worker` with the test's settings; `extra` settings by name, e.g. outbox_lease="2"."""
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "chopbar.cli", "worker", env=worker_env(settings, **extra), cwd=ROOT,
            stdout=sink, stderr=sink,
        )


async def stop_worker(worker: asyncio.subprocess.Process, log: Path) -> None:
    """SIGTERM, and the worker must exit cleanly."""
    if worker.returncode is None:
        worker.terminate()
    assert await worker.wait() == 0, tail(log)


async def until(what: str, check, worker: asyncio.subprocess.Process, log: Path) -> None:
    """Waits for `check()` to hold while the worker runs; fails with its log if it exits first."""
    for _ in range(int(PATIENCE_S / 0.02)):
        if await check():
            return
        if worker.returncode is not None:
            break
        await asyncio.sleep(0.02)
    raise AssertionError(f"still waiting for {what} (worker exit {worker.returncode}); its log:\n{tail(log)}")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""
