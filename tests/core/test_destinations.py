"""A destination is built one way, whatever the channel gathered."""
from core import destinations
from core.catalog import Catalog


async def _catalog(db) -> Catalog:
    async with db.unit() as unit:
        return await Catalog.load(unit)


async def test_a_typed_quarter_is_matched_and_placed_at_its_point(db):
    catalog = await _catalog(db)
    found = destinations.typed(catalog, "Yaounde", "  bastos ", " face   Total ")
    quarter = catalog.quarter(found.quarter_id)
    assert (found.quarter_text, found.landmark) == (quarter.name, "face Total")
    assert (found.lat, found.lon) == (quarter.lat, quarter.lon) and found.address_id is None


async def test_a_quarter_nobody_knows_is_kept_as_typed(db):
    catalog = await _catalog(db)
    found = destinations.typed(catalog, "Yaounde", "Derriere   le  marche " + "x" * 90)
    assert found.quarter_id is None and found.lat is None
    assert found.quarter_text.startswith("Derriere le marche") and len(found.quarter_text) == destinations.MAX_QUARTER_TEXT


async def test_a_quarter_of_another_city_is_not_matched(db):
    catalog = await _catalog(db)
    assert destinations.typed(catalog, "Douala", "Bastos").quarter_id is None


async def test_a_destination_kept_in_a_session_comes_back_the_same(db):
    catalog = await _catalog(db)
    where = destinations.typed(catalog, "Yaounde", "Bastos", "Face Total")
    assert destinations.kept(catalog, destinations.fields(where)) == where


async def test_an_address_kept_by_an_older_session_without_its_point_gets_its_quarters(db):
    catalog = await _catalog(db)
    where = destinations.typed(catalog, "Yaounde", "Bastos")
    kept = destinations.kept(catalog, {"city": "Yaounde", "quarter": where.quarter_text, "quarter_id": where.quarter_id, "id": 7})
    assert (kept.lat, kept.lon, kept.address_id, kept.landmark) == (where.lat, where.lon, 7, "")
