"""Fresh databases for tests: one migrated and seeded template, copied for every test.

SQLite copies the template file; PostgreSQL creates each test's database from a template
database (CREATE DATABASE ... TEMPLATE), then drops it. Nothing outlives the run.
"""
import asyncio
import itertools
import os
import shutil
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from chopbar.migrate import upgrade
from chopbar.seed import seed_demo
from core.db import Database

_counter = itertools.count(1)


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

    def fresh(self, *, seeded: bool = True, migrated: bool = True) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        if self.server:
            if migrated:
                template = make_url(self.template(seeded)).database
                asyncio.run(_admin(self.server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            else:
                asyncio.run(_admin(self.server, f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            return self._pg_url(name)
        url = self._sqlite_url(name)
        if migrated:
            src = Path(make_url(self.template(seeded)).database)
            shutil.copyfile(src, Path(make_url(url).database))
        return url

    def drop(self, url: str) -> None:
        if self.server:
            name = make_url(url).database
            asyncio.run(_admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.made.remove(name)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(make_url(url).database + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self.server:
            names = self.made + [make_url(u).database for u in self.templates.values()]
            asyncio.run(_admin(self.server, *(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names)))
        shutil.rmtree(self.workdir, ignore_errors=True)
