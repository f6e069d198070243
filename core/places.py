"""Quarters: the ones support adds when customers name one the gazetteer lacks (then fees are
exact), and the ones a customer has had food delivered to."""
from sqlalchemy import select

from core import audit
from core.db import Unit
from core.errors import BadInput
from core.models import Address, Quarter

# Generous boxes around each city (a quarter outside is a typo in the coordinates).
BOUNDS = {"Yaounde": ((3.70, 4.05), (11.35, 11.70)), "Douala": ((3.90, 4.20), (9.55, 9.90))}


async def add_quarter(unit: Unit, *, city: str, name: str, lat: float, lon: float, aliases: list[str], actor: str) -> Quarter:
    if city not in BOUNDS:
        raise BadInput(f"city must be one of {', '.join(BOUNDS)}")
    (lat_lo, lat_hi), (lon_lo, lon_hi) = BOUNDS[city]
    if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
        raise BadInput(f"{lat}, {lon} is not in {city}")
    name = " ".join(name.split())
    if not name:
        raise BadInput("give the quarter a name")
    if await unit.session.scalar(select(Quarter).where(Quarter.city == city, Quarter.name == name)):
        raise BadInput(f"{name} is already a quarter of {city}")
    quarter = Quarter(city=city, name=name, lat=lat, lon=lon, aliases="|".join(a.strip().lower() for a in aliases if a.strip()),
                      source=f"added by {actor}")
    unit.session.add(quarter)
    audit.record(unit, "quarter", f"{city}/{name}", "add", actor=actor, data={"lat": lat, "lon": lon})
    return quarter


async def saved_quarters(unit: Unit, account_id: int | None, most: int) -> list[list]:
    """[[quarter id, name], ...] of the account's latest addresses, newest first, each once."""
    rows = await unit.session.execute(
        select(Quarter.id, Quarter.name)
        .join(Address, Address.quarter_id == Quarter.id)
        .where(Address.account_id == account_id)
        .order_by(Address.last_used_at.desc())
        .limit(5)
    )
    seen: list[list] = []
    for quarter_id, name in rows:
        if [quarter_id, name] not in seen:
            seen.append([quarter_id, name])
    return seen[:most]
