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


def test_clear_rows_are_sealed_by_the_upgrade_and_read_back_by_the_models(databases):
    from sqlalchemy import select, text
    from core.db import Database
    from core.models import Account, OutboxMessage
    from core.sealing import blind

    url = databases.fresh(migrated=False)
    try:
        upgrade(url, "0015")

        async def clear_rows():
            engine = create_async_engine(url)
            async with engine.begin() as connection:
                await connection.execute(text(
                    "INSERT INTO accounts (phone, name, language, opted_out, loyalty_points, created_at) "
                    "VALUES ('+237677000777', 'Ngozi Tabi', 'en', false, 0, '2026-12-01 10:00:00')"))
                await connection.execute(text(
                    "INSERT INTO outbox (channel, to_phone, body, kind, dedupe_key, status, attempts, next_attempt_at, created_at) "
                    "VALUES ('sms', '+237677000777', 'Hello Ngozi Tabi', 'test', 'x:+237677000777', 'sent', 0, "
                    "'2026-12-01 10:00:00', '2026-12-01 10:00:00')"))
            await engine.dispose()

        async def read():
            engine = create_async_engine(url)
            async with engine.connect() as connection:
                raw = [tuple(r) for t in ("accounts", "outbox") for r in (await connection.execute(text(f"SELECT * FROM {t}"))).all()]
            await engine.dispose()
            db = Database(url)
            try:
                async with db.unit() as unit:
                    account = await unit.session.scalar(select(Account).where(Account.phone_key == blind("+237677000777")))
                    sent = await unit.session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone_key == blind("+237677000777")))
                    return raw, (account.phone, account.name, sent.body)
            finally:
                await db.close()

        asyncio.run(clear_rows())
        upgrade(url)
        raw, read_back = asyncio.run(read())
        assert not [cell for row in raw for cell in row if "677000777" in str(cell) or "Ngozi" in str(cell)]
        assert read_back == ("+237677000777", "Ngozi Tabi", "Hello Ngozi Tabi")
        downgrade(url, "0015")
        upgrade(url)
        assert asyncio.run(read())[1] == read_back
    finally:
        databases.drop(url)
