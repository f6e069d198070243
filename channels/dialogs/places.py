"""The gazetteer the dialog matches typed quarters against, built from the stored quarters.

Rebuilt at most once a minute, so a quarter support adds is matched soon after, and a
hop never waits on more than one small query for it.
"""
import time

from sqlalchemy import select

from channels.dialogs.context import Places
from core import quarters
from core.db import Unit
from core.models import Quarter

REFRESH_S = 60.0


class PlacesCache:
    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.places: Places | None = None
        self.loaded_at = 0.0

    async def get(self, unit: Unit) -> Places:
        if self.places is None or self.clock() - self.loaded_at > REFRESH_S:
            rows = list(await unit.session.scalars(select(Quarter)))
            gazetteer = quarters.Gazetteer(
                quarters.Quarter(
                    city=r.city, name=r.name, arrondissement=r.arrondissement, lat=r.lat, lon=r.lon,
                    aliases=tuple(a for a in r.aliases.split("|") if a), source=r.source,
                )
                for r in rows
            )
            self.places = Places(gazetteer, {(r.city, r.name): r.id for r in rows})
            self.loaded_at = self.clock()
        return self.places
