"""A new record and the records that hang on its id, written at once: an order with its lines,
payment, restaurant SMS and audit row; an account with its role.

On PostgreSQL that is one statement: the first INSERT is a data-modifying WITH whose id the
other INSERTs select. SQLite has no such WITH: one INSERT per table there, rows of one table in
one executemany. The first record goes in with ON CONFLICT DO NOTHING, so a unique value already
taken (even by a transaction committing at the same moment) writes nothing and says so.
"""
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.db import Unit
from core.models.base import Base


def row(record: Base) -> dict[str, Any]:
    """Every column of a record but its id: as given, else its default (spelled out, so that no two
    INSERTs of one statement bind a default under the same name)."""
    values = {}
    for column in record.__table__.columns:
        if column.key == "id":
            continue
        if column.key in record.__dict__:
            values[column.key] = record.__dict__[column.key]
        elif column.default is not None and column.default.is_scalar:
            values[column.key] = column.default.arg
        elif column.default is not None and column.default.is_callable:
            values[column.key] = column.default.arg(None)
        else:
            values[column.key] = None
    return values


async def insert_together(unit: Unit, first: Base, attached: Sequence[Base], beside: Sequence[Base], *, key: str) -> int | None:
    """Inserts `first`, the `attached` records with its id as their `key` column, and the
    `beside` ones; returns the new id, or None (and writes nothing) when a unique value of
    `first` is taken."""
    if unit.is_postgres:
        return await _in_one_statement(unit, first, attached, beside, key)
    return await _one_per_table(unit, first, attached, beside, key)


def _groups(records: Sequence[Base]) -> list[list[Base]]:
    groups: dict[type, list[Base]] = {}
    for record in records:
        groups.setdefault(type(record), []).append(record)
    return list(groups.values())


async def _in_one_statement(unit: Unit, first: Base, attached: Sequence[Base], beside: Sequence[Base], key: str) -> int | None:
    table = first.__table__
    new = pg_insert(table).values(row(first)).on_conflict_do_nothing().returning(table.c.id).cte("new_row")
    ctes = []
    for n, group in enumerate(_groups(attached) + _groups(beside)):
        table = group[0].__table__
        on_new = group[0] in attached
        keys = [k for k in row(group[0]) if not (on_new and k == key)]
        selects = []
        for record in group:
            values = row(record)
            columns = [literal(values[k], table.c[k].type).label(k) for k in keys]
            # Selected from the new row, so nothing is written when it was not.
            selects.append(select(new.c.id.label(key), *columns) if on_new else select(*columns).select_from(new))
        source = selects[0] if len(selects) == 1 else union_all(*selects)
        ctes.append(insert(table).from_select([key, *keys] if on_new else keys, source).cte(f"rows_{n}"))
    return await unit.session.scalar(select(new.c.id).add_cte(*ctes))


async def _one_per_table(unit: Unit, first: Base, attached: Sequence[Base], beside: Sequence[Base], key: str) -> int | None:
    table = first.__table__
    new_id = await unit.session.scalar(sqlite_insert(table).values(row(first)).on_conflict_do_nothing().returning(table.c.id))
    if new_id is None:
        return None
    for group in _groups(attached):
        await unit.session.execute(insert(group[0].__table__), [{**row(r), key: new_id} for r in group])
    for group in _groups(beside):
        await unit.session.execute(insert(group[0].__table__), [row(r) for r in group])
    return new_id
