"""Fixtures of the fault tests: a database that does not answer."""
import pytest

from core.db import Database
from tests.conftest import free_port


@pytest.fixture
async def away(database_url, tmp_path, clock):
    """A database that does not answer: a PostgreSQL port nobody listens on, or an SQLite file
    in a folder that does not exist."""
    if database_url.startswith("postgresql"):
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/db.sqlite3"
    database = Database(url, clock=clock)
    yield database
    await database.close()
