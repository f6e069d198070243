"""The one Alembic history upgrades and downgrades cleanly on the database under test."""
import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from chopbar.migrate import downgrade, upgrade
from core.models import Base


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


def test_history_goes_up_down_and_up_again(databases):
    url = databases.fresh(migrated=False)
    try:
        upgrade(url)
        assert asyncio.run(_tables(url)) == set(Base.metadata.tables)
        downgrade(url, "base")
        assert asyncio.run(_tables(url)) == set()
        upgrade(url)
        assert asyncio.run(_tables(url)) == set(Base.metadata.tables)
    finally:
        databases.drop(url)
