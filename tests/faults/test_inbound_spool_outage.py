"""Messages kept through an outage: in the local spool while the database is away, moved into
the table when it is back, then answered in the order they came; a message the answer keeps
failing on (not an outage) is set aside after a few tries, an outage only postpones it."""
import pytest
from sqlalchemy import select

from channels.inbound_keeper import GIVE_UP_AFTER, InboundKeeper
from channels.inbound_spool import Spool
from channels.outages import ServiceAway
from core.models import InboundMessage


async def kept_rows(db) -> list[InboundMessage]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


async def test_messages_kept_while_the_database_is_away_wait_in_the_spool_then_in_the_table(away, db, tmp_path):
    spool = Spool(tmp_path / "spool.jsonl")
    keeper_cut_off = InboundKeeper(away, spool)
    for n in range(3):
        where = await keeper_cut_off.keep("at-sms", f"ATXid_{n}", "sms", "+237699700001", f"MENU {n}", OSError("refused"))
        assert where == "spool"
    with open(spool.path, "ab") as f:
        f.write(b'{"provider": "at-sms", "message_id": "ATXid_cut')  # a crash in the middle of an append

    keeper = InboundKeeper(db, spool)
    assert await keeper.flush_spool() == 3
    assert list(tmp_path.glob("spool.jsonl*taken*")) == []
    assert [r.text for r in await kept_rows(db)] == ["MENU 0", "MENU 1", "MENU 2"]
    assert await keeper.flush_spool() == 0

    answered = []

    async def answer(message):
        answered.append(message.message_id)

    assert await keeper.answer_due(answer) == 3
    assert answered == ["ATXid_0", "ATXid_1", "ATXid_2"]
    assert all(r.handled_at is not None for r in await kept_rows(db))
    assert await keeper.answer_due(answer) == 0


async def test_a_message_kept_twice_is_one_row(db, tmp_path):
    keeper = InboundKeeper(db, Spool(tmp_path / "spool.jsonl"))
    for _ in range(2):
        assert await keeper.keep("meta", "wamid.1", "whatsapp", "+237699700002", "1", ServiceAway("redis")) == "table"
    assert len(await kept_rows(db)) == 1


async def test_an_outage_while_answering_postpones_and_a_bug_sets_aside_after_a_few_tries(db, tmp_path, clock):
    keeper = InboundKeeper(db, Spool(tmp_path / "spool.jsonl"))
    await keeper.keep("at-sms", "ATXid_a", "sms", "+237699700003", "AIDE", ServiceAway("redis"))

    async def still_away(message):
        raise ServiceAway("redis")

    with pytest.raises(ServiceAway):
        await keeper.answer_due(still_away)
    [row] = await kept_rows(db)
    assert (row.handled_at, row.attempts) == (None, 0)  # due again at once, nothing counted

    async def broken(message):
        raise ValueError("a bug")

    for attempt in range(1, GIVE_UP_AFTER + 1):
        assert await keeper.answer_due(broken) == 0
        [row] = await kept_rows(db)
        assert row.attempts == attempt and "a bug" in row.last_error
        clock.advance(hours=2)  # past its backoff
    assert row.handled_at is not None  # set aside, logged as an error
