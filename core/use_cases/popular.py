"""What neighbours order around this hour, by quarter: the same list on USSD, WhatsApp and the API."""
from core import popular as rule
from core.catalog import Catalog
from core.db import Units
from core.errors import BadInput
from core.models import Quarter
from core.popular import Popular, PopularCache


def quarter_named(catalog: Catalog, text: str, city: str | None = None) -> Quarter:
    """The quarter a person typed (typos forgiven as everywhere), or BadInput."""
    found = catalog.gazetteer.match(text, city=city or None)
    if found is None:
        raise BadInput(f"unknown quarter {text[:40]!r}")
    return catalog.quarter(catalog.quarter_ids[(found.city, found.name)])


async def popular(units: Units, cache: PopularCache, quarter_id: int, *, tz: str) -> Popular:
    """The quarter's top dishes around this local hour (`core.popular` holds the rule), from the
    process's short cache when it has them: no database session otherwise."""
    async with units.unit() as unit:
        key = rule.cache_key(quarter_id, unit.now(), tz)
        found = cache.get(key)
        if found is not None:
            return found
        return cache.put(key, await rule.read(unit, quarter_id, tz=tz))
