"""The audit log: one row for every status change and sensitive act."""
from typing import Any

from core.db import Unit
from core.models import AuditEvent


def record(
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
    event = AuditEvent(
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
    unit.session.add(event)
    return event
