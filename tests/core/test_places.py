"""Support adds a quarter customers name; the next dialogs match it and price it exactly."""
import pytest

from core.catalog import Catalog
from core.errors import BadInput
from core.places import add_quarter


async def test_an_added_quarter_is_matched_by_its_spellings(db):
    async with db.unit() as unit:
        await add_quarter(unit, city="Yaounde", name="Nkolmesseng", lat=3.9000, lon=11.5700, aliases=["nkol messeng"], actor="t")
    async with db.unit() as unit:
        catalog = await Catalog.load(unit)
    found = catalog.gazetteer.match("nkol messeng", city="Yaounde")
    assert found is not None and found.name == "Nkolmesseng"


@pytest.mark.parametrize(
    "city,name,lat,lon", [("Yaounde", "Bastos", 3.89, 11.51), ("Yaounde", "Far", 4.50, 11.50), ("Kribi", "X", 2.9, 9.9), ("Douala", " ", 4.05, 9.7)]
)
async def test_a_duplicate_a_wrong_place_or_a_blank_name_is_refused(db, city, name, lat, lon):
    async with db.unit() as unit:
        with pytest.raises(BadInput):
            await add_quarter(unit, city=city, name=name, lat=lat, lon=lon, aliases=[], actor="t")
