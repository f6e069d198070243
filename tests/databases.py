"""Fresh databases for tests: one migrated and seeded template, copied for every test.

SQLite copies the template file; PostgreSQL creates each test's database from a template
database (CREATE DATABASE ... TEMPLATE), then drops it. Nothing outlives the run.

On PostgreSQL a copy takes a few tenths of a second and a test spends most of it waiting, so a
thread keeps a couple of seeded copies ready ahead of the tests that will ask for them, and
another drops the used ones while the next test runs.
"""
import asyncio
import itertools
import os
import queue
import shutil
import threading
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from chopbar.migrate import upgrade
from chopbar.seed import seed_demo
from core.db import Database

_counter = itertools.count(1)
SPARES = 2  # seeded PostgreSQL copies made ahead


def server_url() -> str | None:
    url = os.environ.get("CHOPBAR_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def _dsn(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(_dsn(url, make_url(url).database or "postgres"))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _seed(url: str) -> None:
    db = Database(url)
    try:
        await seed_demo(db)
    finally:
        await db.close()


class Databases:
    """Hands out a fresh, migrated (and optionally seeded) database URL per test."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.server = server_url()
        self.prefix = f"chopbar_t{os.getpid()}"
        self.templates: dict[bool, str] = {}
        self.made: list[str] = []
        self.lock = threading.Lock()  # `made` is shared with the threads
        self.spares: queue.Queue[str | BaseException] | None = None
        self.doomed: queue.Queue[str | None] = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.closing = threading.Event()

    def _sqlite_url(self, name: str) -> str:
        return f"sqlite+aiosqlite:///{self.workdir / name}.sqlite3"

    def _pg_url(self, name: str) -> str:
        return make_url(self.server).set(database=name).render_as_string(hide_password=False)

    def template(self, seeded: bool) -> str:
        if seeded not in self.templates:
            name = f"{self.prefix}_tpl_{'seeded' if seeded else 'empty'}"
            if self.server:
                asyncio.run(_admin(self.server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
                url = self._pg_url(name)
            else:
                url = self._sqlite_url(name)
            upgrade(url)
            if seeded:
                asyncio.run(_seed(url))
            self.templates[seeded] = url
        return self.templates[seeded]

    def _copy(self, template: str | None) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        with self.lock:
            self.made.append(name)
        statement = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        asyncio.run(_admin(self.server, statement))
        return name

    def _start(self) -> None:
        """The threads that make seeded copies ahead and drop used ones behind."""
        self.spares = queue.Queue(maxsize=SPARES)
        template = make_url(self.template(True)).database

        def make_ahead() -> None:
            while not self.closing.is_set():
                try:
                    name: str | BaseException = self._copy(template)
                except BaseException as failed:  # handed to the test that asks next, not lost in the thread
                    name = failed
                while not self.closing.is_set():
                    try:
                        self.spares.put(name, timeout=0.2)
                        break
                    except queue.Full:
                        continue

        def drop_behind() -> None:
            while (name := self.doomed.get()) is not None:
                asyncio.run(_admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                with self.lock:
                    self.made.remove(name)

        self.threads = [threading.Thread(target=make_ahead, daemon=True), threading.Thread(target=drop_behind, daemon=True)]
        for thread in self.threads:
            thread.start()

    def fresh(self, *, seeded: bool = True, migrated: bool = True) -> str:
        if self.server:
            if migrated and seeded:
                if self.spares is None:
                    self._start()
                made = self.spares.get()
                if isinstance(made, BaseException):
                    raise made
                return self._pg_url(made)
            return self._pg_url(self._copy(make_url(self.template(seeded)).database if migrated else None))
        name = f"{self.prefix}_{next(_counter)}"
        url = self._sqlite_url(name)
        if migrated:
            src = Path(make_url(self.template(seeded)).database)
            shutil.copyfile(src, Path(make_url(url).database))
        return url

    def drop(self, url: str) -> None:
        if self.server:
            if self.threads:
                self.doomed.put(make_url(url).database)  # dropped behind, while the next test runs
            else:
                name = make_url(url).database
                asyncio.run(_admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                with self.lock:
                    self.made.remove(name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(make_url(url).database + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self.threads:
            self.closing.set()
            self.doomed.put(None)
            for thread in self.threads:
                thread.join(timeout=60)
        if self.server:
            names = self.made + [make_url(u).database for u in self.templates.values()]
            asyncio.run(_admin(self.server, *(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names)))
        shutil.rmtree(self.workdir, ignore_errors=True)
