"""A provider's unsigned word that a payment moved: its next status check made due now."""
from aiohttp import web
from sqlalchemy import update
from sqlalchemy.sql.elements import ColumnElement

from channels.keys import WAKE
from core.db import Unit
from core.models import Payment


async def check_soon(request: web.Request, unit: Unit, which: ColumnElement[bool]) -> None:
    """Makes the payment's next status check due now, with one UPDATE that leaves the version
    column alone: a status check writing the same payment at the same moment neither refuses
    this hint nor is refused by it. A check holding the row is waited for, and this applies
    after it, so the hint outlives the check's own rescheduling."""
    await unit.session.execute(
        update(Payment).where(which).values(next_check_at=unit.now()).execution_options(synchronize_session=False)
    )
    request.app[WAKE].set()
