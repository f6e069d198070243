"""Provider and gateway ids already handled: the first delivery counts, replays change nothing."""
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.db import Unit
from core.models import ProcessedEvent
from core.models.types import with_keys


async def insert_once(unit: Unit, model, unique: list[str], **values) -> bool:
    """Inserts the row unless one with the same `unique` columns is there; False then, even when
    a concurrent insert of the same row got there first (no error, no broken transaction)."""
    insert = pg_insert if unit.is_postgres else sqlite_insert
    result = await unit.session.execute(insert(model).values(**with_keys(model, values)).on_conflict_do_nothing(index_elements=unique))
    return result.rowcount == 1


async def first_time(unit: Unit, provider: str, event_id: str) -> bool:
    """Records (provider, id); False when it was already there, even under a concurrent replay."""
    return await insert_once(
        unit, ProcessedEvent, ["provider", "event_id"], provider=provider, event_id=event_id[:120], received_at=unit.now()
    )
