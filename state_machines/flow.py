"""The shared way a lifecycle table moves one stored record and refuses illegal changes."""
from enum import StrEnum
from typing import Any, ClassVar

from transitions import Machine, MachineError

from core.errors import IllegalTransition


class Flow:
    """Binds a record with a `status` column to a transitions table.

    Subclasses set `entity`, `states` and `transitions`; guards are methods named as
    questions. `fire` writes the new status back to the record and returns False when a
    guard said no; a trigger that is not allowed from the current state raises
    IllegalTransition. Side effects belong to the service that calls `fire`.
    """

    entity: ClassVar[str]
    states: ClassVar[type[StrEnum]]
    transitions: ClassVar[list[list[Any]]]

    def __init__(self, record: Any) -> None:
        self.record = record
        self.state: StrEnum
        Machine(
            model=self,
            states=self.states,
            transitions=self.transitions,
            initial=self.states(record.status),
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    @classmethod
    def triggers(cls) -> set[str]:
        return {row[0] for row in cls.transitions}

    @classmethod
    def sources(cls, trigger: str) -> set[StrEnum]:
        """States from which `trigger` may be fired (guards aside)."""
        found: set[StrEnum] = set()
        for row in cls.transitions:
            if row[0] == trigger:
                found.update(row[1] if isinstance(row[1], list) else [row[1]])
        return found

    def ref(self) -> str:
        return str(getattr(self.record, "code", None) or getattr(self.record, "id", "?"))

    def fire(self, trigger: str, **data: Any) -> bool:
        if trigger not in self.triggers():
            raise IllegalTransition(self.entity, self.ref(), str(self.state), trigger)
        try:
            moved = self.trigger(trigger, **data)
        except MachineError:
            raise IllegalTransition(self.entity, self.ref(), self.state.value, trigger) from None
        self.record.status = self.state.value
        return moved

    def can(self, trigger: str) -> bool:
        return self.states(self.record.status) in self.sources(trigger)
