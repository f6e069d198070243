"""A customer's saved addresses: the newest first, a new one kept for next time."""
from sqlalchemy import insert, select

from core.db import Unit
from core.models import Address
from core.orders import Destination


async def latest(unit: Unit, account_id: int, *, city: str | None = None, limit: int = 1) -> list[Address]:
    """The addresses used last, in one city or any."""
    query = select(Address).where(Address.account_id == account_id)
    if city is not None:
        query = query.where(Address.city == city)
    return list(await unit.session.scalars(query.order_by(Address.last_used_at.desc()).limit(limit)))


async def remember(unit: Unit, account_id: int, destination: Destination) -> int:
    """The id of the address an order goes to: a saved one's, or a new one's, saved now."""
    if destination.address_id is not None:
        return destination.address_id
    now = unit.now()
    return await unit.session.scalar(
        insert(Address).values(
            account_id=account_id, city=destination.city, quarter_id=destination.quarter_id,
            quarter_text=destination.quarter_text, landmark=destination.landmark, directions=destination.directions,
            lat=destination.lat, lon=destination.lon, created_at=now, last_used_at=now,
        ).returning(Address.id)
    )
