"""Key rotation: every sealed value not under the current key id is sealed again under it.

Table by table, column by column, in batches of rows by primary key, each batch its own
transaction: stopped halfway, a second run picks up the values still under an old key, and a
run with nothing left to do changes nothing. Values are read and written raw (the token, not
the clear text), so only the ones that need it are touched. A value under a key id the keyring
does not hold stops the run with the table, the row and the key id named: put that key back
(after the current one) and run again. Once a run reports nothing left under old keys, the old
key can be dropped from CHOPBAR_DATA_KEYS.

The blind-index key is not rotated here: a new one would change every `*_key` column, which
would have to be recomputed from the unsealed numbers in the same step.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Table, Text, select, type_coerce, update

from core import sealing
from core.db import Database
from core.models import Base
from core.models.types import Sealed, SealedJSON

BATCH = 500


@dataclass
class Rekeyed:
    resealed: dict[str, int] = field(default_factory=dict)  # table.column -> values sealed again
    checked: int = 0  # sealed values looked at

    @property
    def total(self) -> int:
        return sum(self.resealed.values())


def sealed_columns() -> list[tuple[Table, list[str]]]:
    """Every table with sealed columns, and their names, in the metadata's order."""
    found = []
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, (Sealed, SealedJSON))]
        if names:
            found.append((table, names))
    return found


async def rekey(db: Database, *, batch: int = BATCH, progress: Callable[[str], None] = lambda _line: None) -> Rekeyed:
    keys = sealing.keyring()
    done = Rekeyed()
    for table, names in sealed_columns():
        (pk,) = table.primary_key.columns
        raw = [type_coerce(table.c[name], Text).label(name) for name in names]
        after = None
        while True:
            query = select(pk, *raw).order_by(pk).limit(batch)
            if after is not None:
                query = query.where(pk > after)
            async with db.unit() as unit:
                rows = (await unit.session.execute(query)).all()
                for row in rows:
                    changes = {}
                    for name in names:
                        token = getattr(row, name)
                        if not token:  # nothing, or an empty text: left as it is (core.models.types)
                            continue
                        done.checked += 1
                        if keys.key_of(token) == keys.current:
                            continue
                        try:
                            clear = keys.unseal(token)
                        except sealing.SealingError as exc:
                            raise sealing.SealingError(f"{table.name}.{name} of row {row[0]}: {exc}") from None
                        changes[name] = type_coerce(keys.seal(clear), Text)
                        done.resealed[f"{table.name}.{name}"] = done.resealed.get(f"{table.name}.{name}", 0) + 1
                    if changes:
                        await unit.session.execute(update(table).where(pk == row[0]).values(changes))
            if not rows:
                break
            after = rows[-1][0]
        count = sum(n for where, n in done.resealed.items() if where.startswith(f"{table.name}."))
        progress(f"{table.name}: {count} values sealed again under {keys.current}")
    return done
