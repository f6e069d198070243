"""The inbound spool: messages kept on local disk while the database is away, one JSON object a
line, appended, flushed and fsynced before the gateway is told 200.

Several web processes of one machine share the file: an append and a take hold an exclusive
lock (a lock file beside it), and a take renames the file away before reading it, so nothing
appended during a take is lost. A taken file is deleted only once its lines are in the
database; a process that dies in between leaves it to the next take (replaying a line twice
is harmless, the table being unique on the gateway's id).
"""
import asyncio
import fcntl
import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)
TAKEN = ".taken-"  # a taken file is the spool's name, this, then who took it and when


class Spool:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    async def append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        await asyncio.to_thread(self._append, line.encode())

    def _append(self, line: bytes) -> None:
        with self._locked():
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:  # the new file's name must survive a crash too
                self._sync_folder()

    async def take(self) -> list[Path]:
        """Moves what was appended so far aside; returns every taken file not yet done."""
        return await asyncio.to_thread(self._take)

    def _take(self) -> list[Path]:
        if not self.path.exists() and not self.path.parent.exists():
            return []
        with self._locked():
            if self.path.exists() and self.path.stat().st_size > 0:
                self.path.rename(self.path.with_name(f"{self.path.name}{TAKEN}{os.getpid()}-{time.time_ns()}"))
                self._sync_folder()
        return sorted(self.path.parent.glob(f"{self.path.name}{TAKEN}*"))

    @staticmethod
    def read(taken: Path) -> list[dict]:
        """The records of a taken file; a line cut short by a crash mid-append is skipped."""
        records = []
        for number, line in enumerate(taken.read_bytes().splitlines(), 1):
            try:
                record = json.loads(line)
            except ValueError:
                log.warning("spool line unreadable, skipped", extra={"fields": {"file": taken.name, "line": number}})
                continue
            if isinstance(record, dict):
                records.append(record)
        return records

    @staticmethod
    def done(taken: Path) -> None:
        taken.unlink(missing_ok=True)

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _sync_folder(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
