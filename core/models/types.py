"""Column types of personal data: sealed on the way in, unsealed on the way out (core.sealing).

`Sealed` holds text, `SealedJSON` any JSON value; both are TEXT in the database holding a token,
so the ORM, Core inserts (core.inserts, executemany) and result rows all see clear values and
the tables never do. An empty text stays empty: it holds nothing, and "is it blank" stays a
question SQL can answer (retention blanks message bodies and looks for the ones not yet blank). A sealed column cannot be compared, sorted or searched in SQL (every seal
has a fresh nonce): a number is found through its blind-index column instead, which
`blind_index(Model, "phone", "phone_key")` keeps equal to `blind(phone)` whenever the attribute
is set (in the constructor or later), so every write path that goes through a record fills it;
a Core `insert(Model).values(...)` passes its values through `with_keys` (core.dedupe does).
"""
import json

from sqlalchemy import Text, TypeDecorator, event

from core import sealing


class Sealed(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return value if not value else sealing.seal(value)

    def process_result_value(self, value: str | None, dialect):
        return value if not value else sealing.unseal(value)


class SealedJSON(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else sealing.seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else json.loads(sealing.unseal(value))


# Every blind-indexed column, (table, number column, key column): what `chopbar rekey --index` redoes.
BLIND_INDEXES: list[tuple[str, str, str]] = []


def blind_index(model: type, source: str, key: str) -> None:
    """Keeps `model.<key>` the blind index of `model.<source>` each time `source` is set."""

    def _set(target, value, _old, _initiator):
        setattr(target, key, None if value is None else sealing.blind(value))

    event.listen(getattr(model, source), "set", _set)
    BLIND_INDEXES.append((model.__tablename__, source, key))


def with_keys(model: type, values: dict) -> dict:
    """`values` of a Core INSERT or UPDATE of `model` (no attribute events there) with the blind
    index of each number they set."""
    keyed = dict(values)
    for table, source, key in BLIND_INDEXES:
        if table == model.__tablename__ and source in values:
            keyed[key] = None if values[source] is None else sealing.blind(values[source])
    return keyed
