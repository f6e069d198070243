"""Loyalty in tests: points given as an opening balance, and the balance checked against its rows."""
from channels.keys import DATABASE
from core import loyalty
from tests import demo


async def give_points(chopbar, phone: str, points: int) -> int:
    """Puts `points` on the account of `phone` (as a starting balance would be), returns its id."""
    async with chopbar.app[DATABASE].unit() as unit:
        account = await demo.account(unit, phone)
        await loyalty._move(unit, account.id, loyalty.OPENING, points, None)
        return account.id


async def points_of(chopbar, account_id: int) -> int:
    """The balance, after checking it is the sum of its movements."""
    async with chopbar.app[DATABASE].unit() as unit:
        held = await loyalty.balance(unit, account_id)
        assert held == await loyalty.ledger_sum(unit, account_id)
        return held
