"""The audit log: one row for every status change and sensitive act."""
from typing import Any

from sqlalchemy import select

from core.db import Unit
from core.errors import IllegalTransition
from core.models import AuditEvent
from state_machines.flow import TransitionRefused


def event(
    unit: Unit,
    entity: str,
    ref: str,
    trigger: str,
    *,
    actor: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """The row, not yet stored: `record` adds it to the unit, a bulk write inserts it itself."""
    return AuditEvent(
        entity=entity,
        entity_ref=ref,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=(reason or None) and reason[:240],
        data=data or {},
        at=unit.now(),
    )


def record(unit: Unit, entity: str, ref: str, trigger: str, **details: Any) -> AuditEvent:
    event_ = event(unit, entity, ref, trigger, **details)
    unit.session.add(event_)
    unit.changed.append(event_)
    return event_


def change(
    unit: Unit, flow: Any, trigger: str, *, actor: str, reason: str | None = None, data: dict[str, Any] | None = None,
    **guard_data: Any,
) -> str:
    """Fires one trigger of a lifecycle machine (a `state_machines` Flow) and records it.

    A trigger refused by a guard is as illegal as one the table lacks. Returns the state left.
    """
    record_ = flow.record
    before = record_.status
    try:
        moved = flow.fire(trigger, **guard_data)
    except TransitionRefused as refused:
        raise IllegalTransition(refused.entity, refused.ref, refused.state, refused.trigger) from None
    if not moved:
        raise IllegalTransition(flow.entity, flow.ref(), before, trigger)
    record_.updated_at = unit.now()
    record(unit, flow.entity, flow.audit_ref(), trigger, actor=actor, from_state=before, to_state=record_.status,
           reason=reason, data=data if data is not None else guard_data or None)
    return before


async def changes_since(unit: Unit, entities: tuple[str, ...], ref: str, after: int) -> list[AuditEvent]:
    """The changes of `ref` (an order code: the order and its delivery) recorded after event
    `after`, oldest first: what a follower who was away has missed."""
    rows = await unit.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity.in_(entities), AuditEvent.entity_ref == ref, AuditEvent.id > after)
        .order_by(AuditEvent.id)
    )
    return list(rows)
