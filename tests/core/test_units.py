"""Units of work: a session only when asked for, a read on its own without one."""
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import create_async_engine

from core.db import Database, ping_when_idle
from core.models import Account
from core.sealing import blind


async def test_a_unit_nobody_asks_for_its_session_makes_none(database_url, clock):
    db = Database(database_url, clock=clock)
    try:
        async with db.unit() as unit:
            assert unit.now() == clock()
        assert unit.opened is None
    finally:
        await db.close()


async def test_a_first_row_read_makes_no_session_and_a_later_one_uses_the_units(database_url, clock):
    db = Database(database_url, clock=clock)
    try:
        async with db.unit() as unit:
            row = await unit.first_row(select(Account.id).limit(1))
            assert unit.opened is None
            account = await unit.session.get(Account, row.id)
            again = await unit.first_row(select(Account.id).where(Account.id == account.id))
            assert again.id == account.id
    finally:
        await db.close()


async def test_a_first_row_read_sees_what_another_unit_just_committed(database_url, clock):
    db = Database(database_url, clock=clock)
    try:
        assert (db.quick is not None) == (db.engine.dialect.name == "sqlite")  # SQLite files read on the loop
        async with db.unit() as unit:
            unit.session.add(Account(phone="+237690000417", language="en", created_at=clock()))
        async with db.unit() as unit:
            row = await unit.first_row(select(Account.language).where(Account.phone_key == blind("+237690000417")))
            assert unit.opened is None
        assert row.language == "en"
    finally:
        await db.close()


async def test_a_first_row_read_gives_each_column_as_its_type_says_and_sees_each_new_commit(database_url, clock):
    db = Database(database_url, clock=clock)
    try:
        async with db.unit() as unit:
            unit.session.add(Account(phone="+237690000418", language="en", created_at=clock()))
        by_phone = select(Account.id, Account.language, Account.created_at).where(Account.phone_key == bindparam("phone"))
        language = select(Account.language).where(Account.phone_key == bindparam("phone"))
        for _ in range(2):  # the second time from the compiled statement (SQLite)
            async with db.unit() as unit:
                row = await unit.first_row(by_phone, {"phone": blind("+237690000418")})
                said = await unit.first_row(language, {"phone": blind("+237690000418")})
                nobody = await unit.first_row(language, {"phone": blind("+237690000419")})
            assert isinstance(row.created_at, datetime) and row.language == said.language == said[0] == "en"
            assert nobody is None
        async with db.unit() as unit:
            account = await unit.session.get(Account, row.id)
            account.language = "fr"
        async with db.unit() as unit:
            assert (await unit.first_row(language, {"phone": blind("+237690000418")})).language == "fr"
    finally:
        await db.close()


async def test_a_pooled_connection_idle_for_a_while_is_pinged_and_replaced_if_dropped(database_url, clock, monkeypatch):
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    now, pings = [0.0], []
    ping_when_idle(engine.sync_engine, idle_s=10, clock=lambda: now[0])  # as make_engine does, on a clock of ours
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(connection) and False)
    try:
        async with engine.connect() as connection:
            first = (await connection.get_raw_connection()).driver_connection
        now[0] += 9
        async with engine.connect() as connection:  # busy a moment ago: no round trip for a ping
            assert (await connection.get_raw_connection()).driver_connection is first
        assert pings == []
        now[0] += 11
        async with engine.connect() as connection:  # idle long enough: pinged, found dropped, replaced
            assert (await connection.get_raw_connection()).driver_connection is not first
            assert (await connection.execute(select(Account.id).limit(1))).first() is not None
        assert len(pings) == 1
    finally:
        await engine.dispose()
