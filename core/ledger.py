"""The money ledger: every movement a balanced double entry; balances come from it alone.

Ledger accounts are names. Positive amounts are money we hold, negative ones money we owe:
`provider:<name>` (held for us at a payment provider), `cash:driver:<id>` (cash in a
driver's pocket), `cash:restaurant:<id>` (pickup cash in a restaurant's till),
`escrow:order:<code>` (a customer's money held until delivery or collection), `restaurant:<id>`,
`driver:<id>`, `platform`, `wallet:<account id>` (credit owed back).
"""
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from core.db import Unit
from core.models import LedgerEntry, Order


class Unbalanced(ValueError):
    """A movement whose legs do not sum to zero: a bug, never stored."""


def post(
    unit: Unit,
    kind: str,
    legs: Sequence[tuple[str, int]],
    *,
    order_id: int | None = None,
    payment_id: int | None = None,
    reference: str | None = None,
) -> str:
    """Stores one movement; its legs must be whole francs summing to zero. `reference` is the
    provider's, on a movement a provider made (a payout)."""
    if any(not isinstance(amount, int) or isinstance(amount, bool) for _, amount in legs):
        raise Unbalanced("ledger amounts are whole XAF")
    if sum(amount for _, amount in legs) != 0:
        raise Unbalanced(f"{kind}: legs sum to {sum(a for _, a in legs)}, not 0")
    txn = uuid.uuid4().hex
    now = unit.now()
    for account, amount in legs:
        if amount:
            unit.session.add(
                LedgerEntry(
                    txn=txn, ledger_account=account, amount_xaf=amount, kind=kind, order_id=order_id,
                    payment_id=payment_id, reference=reference, created_at=now,
                )
            )
    return txn


def escrow(order: Order) -> str:
    return f"escrow:order:{order.code}"


async def balance(unit: Unit, account: str) -> int:
    total = await unit.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_xaf), 0)).where(LedgerEntry.ledger_account == account)
    )
    return int(total)


async def balances(unit: Unit, prefix: str = "") -> dict[str, int]:
    rows = await unit.session.execute(
        select(LedgerEntry.ledger_account, func.sum(LedgerEntry.amount_xaf))
        .where(LedgerEntry.ledger_account.startswith(prefix))
        .group_by(LedgerEntry.ledger_account)
    )
    return {account: int(total) for account, total in rows}


async def is_balanced(unit: Unit) -> bool:
    """Every movement sums to zero, so the whole ledger does too."""
    unbalanced = await unit.session.scalar(
        select(func.count()).select_from(
            select(LedgerEntry.txn).group_by(LedgerEntry.txn).having(func.sum(LedgerEntry.amount_xaf) != 0).subquery()
        )
    )
    return unbalanced == 0
