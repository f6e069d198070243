"""The catalog's version, kept in the database: bumped in the same transaction as any change to
what the catalog snapshot shows, so that every process can tell with one small read that its
snapshot is old (`core.catalog.CatalogCache.check`).

Nobody has to remember to bump it: the session notices, as it flushes or executes, any row of
the catalog's tables added, changed or deleted (`SHOWN`; a restaurant's order counter aside),
and the unit of work bumps the version once before it commits (`core.db.Database.unit`). A
menu edited by REST, a dish sold out by SMS, a restaurant approved, a quarter added from the
command line: each reaches every process the same way.
"""
from sqlalchemy import event, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from core.models import (
    CatalogState,
    MenuCategory,
    MenuItem,
    MenuOption,
    OpeningHours,
    OptionGroup,
    Quarter,
    Restaurant,
    RestaurantOffer,
)

SHOWN = (Restaurant, OpeningHours, MenuCategory, MenuItem, OptionGroup, MenuOption, Quarter, RestaurantOffer)
TABLES = frozenset(model.__table__ for model in SHOWN)
NOT_SHOWN = frozenset({"completed_orders"})  # counted at every delivery; no screen shows it
ROW = 1
_CHANGED = "catalog_changed"  # the session's mark, in Session.info


def _changed(row) -> bool:
    state = inspect(row)
    return any(attr.history.has_changes() for attr in state.attrs if attr.key not in NOT_SHOWN)


@event.listens_for(Session, "before_flush")
def _rows_flushed(session: Session, _context, _instances) -> None:
    if session.info.get(_CHANGED):
        return
    if any(isinstance(row, SHOWN) for row in (*session.new, *session.deleted)) or any(
        isinstance(row, SHOWN) and _changed(row) for row in session.dirty
    ):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _statement_run(state) -> None:
    """Bulk writes (`update(MenuItem)...`, `delete(OpeningHours)...`) bypass the flush."""
    if (state.is_update or state.is_delete or state.is_insert) and getattr(state.statement, "table", None) in TABLES:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and not transaction.nested:  # the outermost one: committed or rolled back
        session.info.pop(_CHANGED, None)


async def bump_if_changed(session: AsyncSession) -> bool:
    """Before a commit: flushes what is pending and, when it changed the catalog, bumps the
    version in the same transaction. True when it did."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    if not session.info.get(_CHANGED):
        return False
    bumped = await session.execute(
        update(CatalogState).where(CatalogState.id == ROW).values(version=CatalogState.version + 1)
    )
    if bumped.rowcount == 0:  # a database made from the models rather than the migrations
        session.add(CatalogState(id=ROW, version=2))
        await session.flush()
    return True


def stored_statement():
    return select(CatalogState.version).where(CatalogState.id == ROW)
