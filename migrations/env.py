"""Alembic environment: runs the one history on SQLite (aiosqlite) or PostgreSQL (asyncpg)."""
import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from chopbar.settings import Settings
from core import sealing
from core.models import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    return config.attributes.get("database_url") or Settings.from_env().database_url


def install_keyring() -> None:
    """The migrations that seal or unseal rows use the keyring the process has, else the settings'."""
    if not sealing.installed():
        sealing.install(Settings.from_env().keyring())


def run_with(connection) -> None:
    # Batch mode lets later ALTERs run on SQLite, which rebuilds tables instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(run_with)
        await connection.commit()
    await engine.dispose()


install_keyring()
if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_online())
