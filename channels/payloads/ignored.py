"""Signed provider requests we cannot apply: acknowledged, written to the audit log and logged at
WARNING, so the provider stops retrying and an operator can see what came."""
import logging
from typing import Any

from channels.payloads.fields import CONTROLS
from core import audit
from core.db import Database, Unit

log = logging.getLogger(__name__)


def clean(value: Any) -> str | None:
    """A provider's value as it may go into the audit log: a short printable line, or None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    return CONTROLS.sub(" ", str(value)[:100]).strip() or None


def record(unit: Unit, provider: str, reason: str, **data: Any) -> None:
    kept = {key: clean(value) for key, value in data.items() if clean(value) is not None}
    audit.record(unit, "webhook", provider, "ignored", actor=f"provider:{provider}", reason=reason, data=kept)
    log.warning("provider request ignored", extra={"fields": {"provider": provider, "reason": reason[:240], **kept}})


async def ignore(db: Database, provider: str, reason: str, **data: Any) -> None:
    async with db.unit() as unit:
        record(unit, provider, reason, **data)
