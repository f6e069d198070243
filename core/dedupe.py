"""Provider and gateway ids already handled: the first delivery counts, replays change nothing."""
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.db import Unit
from core.models import ProcessedEvent


async def first_time(unit: Unit, provider: str, event_id: str) -> bool:
    """Records (provider, id); False when it was already there, even under a concurrent replay."""
    dialect = unit.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ProcessedEvent)
        .values(provider=provider, event_id=event_id[:120], received_at=unit.now())
        .on_conflict_do_nothing(index_elements=["provider", "event_id"])
    )
    result = await unit.session.execute(statement)
    return result.rowcount == 1
