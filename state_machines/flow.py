"""The shared way a lifecycle table moves one stored record and refuses illegal changes."""
from enum import StrEnum
from typing import Any, ClassVar

from transitions import Machine, MachineError



class TransitionRefused(Exception):
    """A trigger the table does not allow from the record's current state.

    The lifecycles import nothing of the domain; `core.errors.IllegalTransition` is this refusal
    as the edges know it (a 409), raised by `core.audit.change` where the domain fires a trigger.
    """

    def __init__(self, entity: str, ref: str, state: str, trigger: str) -> None:
        super().__init__(f"{entity} {ref} is {state}: cannot {trigger}")
        self.entity = entity
        self.ref = ref
        self.state = state
        self.trigger = trigger


class Cursor:
    """The one model a class's machine is built on; it points at the flow being moved.

    Building a `transitions` Machine costs far more than firing one, so each lifecycle
    builds its machine once and moves records by pointing the cursor at them. Firing is
    synchronous, so no other task can move the cursor in between.
    """

    def __init__(self) -> None:
        self.flow: Any = None

    def __getattr__(self, name: str) -> Any:  # guards named in the table live on the flow
        if name == "flow":
            raise AttributeError(name)
        return getattr(self.flow, name)


def build_machine(states: Any, transitions: list[list[Any]], initial: Any) -> tuple[Machine, Cursor]:
    cursor = Cursor()
    machine = Machine(
        model=cursor,
        states=states,
        transitions=transitions,
        initial=initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )
    return machine, cursor


class Flow:
    """Binds a record with a `status` column to a transitions table.

    Subclasses set `entity`, `states` and `transitions`; guards are methods named as
    questions. `fire` writes the new status back to the record and returns False when a
    guard said no; a trigger that is not allowed from the current state raises
    TransitionRefused. Side effects belong to the service that calls `fire`.
    """

    entity: ClassVar[str]
    states: ClassVar[type[StrEnum]]
    transitions: ClassVar[list[list[Any]]]
    _built: ClassVar[tuple[Machine, Cursor] | None] = None

    def __init__(self, record: Any) -> None:
        self.record = record

    @classmethod
    def _machine(cls) -> tuple[Machine, Cursor]:
        if cls.__dict__.get("_built") is None:
            cls._built = build_machine(cls.states, cls.transitions, list(cls.states)[0])
        return cls._built

    @property
    def state(self) -> StrEnum:
        return self.states(self.record.status)

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

    def audit_ref(self) -> str:
        """What the audit log files the change under: the ref, unless it names a person."""
        return self.ref()

    def fire(self, trigger: str, **data: Any) -> bool:
        if trigger not in self.triggers():
            raise TransitionRefused(self.entity, self.ref(), self.record.status, trigger)
        machine, cursor = self._machine()
        cursor.flow = self
        machine.set_state(self.state, model=cursor)
        try:
            moved = cursor.trigger(trigger, **data)
        except MachineError:
            raise TransitionRefused(self.entity, self.ref(), self.record.status, trigger) from None
        finally:
            cursor.flow = None
        self.record.status = cursor.state.value
        return moved

    def can(self, trigger: str) -> bool:
        return self.state in self.sources(trigger)
