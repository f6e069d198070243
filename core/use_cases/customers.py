"""A customer's own settings and places: the language, STOP and START, the addresses they saved."""
from core import addresses, destinations
from core.accounts import set_language
from core.catalog import Catalog
from core.db import Units
from core.errors import NotFound
from core.models import Account
from core.orders import Destination

MAX_SAVED_SHOWN = 3


async def saved_destinations(
    units: Units, catalog: Catalog, account_id: int | None, *, city: str | None = None, limit: int = MAX_SAVED_SHOWN,
) -> list[Destination]:
    """The addresses the customer used last (in one city, or any), newest first."""
    if account_id is None:
        return []
    async with units.unit() as unit:
        return [destinations.saved(catalog, a) for a in await addresses.latest(unit, account_id, city=city, limit=limit)]


async def choose_language(units: Units, account_id: int, language: str) -> None:
    """The language chosen on any channel is the customer's on every channel."""
    async with units.unit() as unit:
        set_language(await _account(unit, account_id), language)


async def language_of(units: Units, account_id: int) -> str:
    """The language the person chose, on whatever channel: the web console speaks it too."""
    async with units.unit() as unit:
        return (await _account(unit, account_id)).language


async def hear_from_us(units: Units, account_id: int, wanted: bool) -> None:
    """STOP (False) and START (True): whether the service may write to the customer."""
    async with units.unit() as unit:
        (await _account(unit, account_id)).opted_out = not wanted


async def _account(unit, account_id: int) -> Account:
    account = await unit.session.get(Account, account_id)
    if account is None:
        raise NotFound("this account no longer exists")
    return account
