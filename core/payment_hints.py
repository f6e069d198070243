"""A provider's unsigned word that a payment moved: its next status check made due now.

The webhook that brings the word has checked it once (`core.dedupe.first_time`); the status
check the worker then makes decides what happened (a hint alone never marks a payment paid).
"""
from sqlalchemy import or_, select, update

from core.db import Unit
from core.models import Payment


async def check_soon(unit: Unit, *, reference: str | None = None, provider_reference: str | None = None) -> None:
    """Makes the next status check due now of the payment known by our reference, the
    provider's, or either.

    Given both, a payment of ours that has none of the provider's references yet takes this one:
    our request timed out but reached the provider. The UPDATEs leave the version column alone,
    so a status check writing the same payment at the same moment neither refuses this hint nor
    is refused by it; a check holding the row is waited for, and the hint applies after it,
    outliving the check's own rescheduling.
    """
    ours = Payment.reference == reference if reference else None
    theirs = Payment.provider_reference == provider_reference if provider_reference else None
    if ours is None and theirs is None:
        return
    if ours is not None and theirs is not None:
        await unit.session.execute(
            update(Payment).where(ours, Payment.provider_reference.is_(None))
            .values(provider_reference=provider_reference).execution_options(synchronize_session=False)
        )
    which = or_(ours, theirs) if ours is not None and theirs is not None else (ours if ours is not None else theirs)
    await unit.session.execute(
        update(Payment).where(which).values(next_check_at=unit.now()).execution_options(synchronize_session=False)
    )


async def by_provider_reference(unit: Unit, provider_reference: str) -> Payment | None:
    """The payment a provider knows by its own id (a card's payment intent, say)."""
    return await unit.session.scalar(select(Payment).where(Payment.provider_reference == provider_reference))
