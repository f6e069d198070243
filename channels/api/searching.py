"""GET /api/v1/search?q=: dishes by name, typos forgiven, as SMS FIND and the USSD search find them
(`core.use_cases.searching`): open restaurants first, then nearest to a typed quarter, then rating."""
from pydantic import Field

from channels.api.catalog import where
from channels.api.endpoints import Call, endpoint
from channels.api.schemas import RestaurantBasics, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS
from core.use_cases import searching


class DishSearch(Shape):
    q: str = Field(max_length=searching.MAX_QUERY, description="a dish's name as people type it, English or French")
    city: str | None = Field(None, max_length=40, description="Yaounde or Douala")
    quarter: str | None = Field(None, max_length=80, description="the customer's quarter: nearest first, that city only")
    open: bool | None = Field(None, description="true: only restaurants taking orders now")
    limit: int = Field(20, ge=1, le=50, description="at most this many dishes")


class FoundDish(Shape):
    dish_id: int
    number: int = Field(description="the dish's number on its restaurant's menu, as SMS orders use it")
    name_en: str
    name_fr: str
    price_xaf: int
    restaurant: RestaurantBasics
    open_now: bool
    distance_km: float | None = Field(description="from the quarter searched, when one was")
    rating: float | None = Field(description="the restaurant's average rating, when it has one")
    score: int = Field(description="how closely the name matched, 60 to 100")


class DishResults(Shape):
    query: str
    items: list[FoundDish]


@endpoint("GET", "/api/v1/search", tag="restaurants", query=DishSearch, response=DishResults, auth=False, etag=True,
          roles="anyone", summary="Search a dish by name (typos, accents and case forgiven): open restaurants first, "
                                  "then nearest to a quarter, then best rated")
async def dishes(call: Call) -> DishResults:
    catalog = await call.app[DIALOGS].catalog.get()
    q: DishSearch = call.query
    query = searching.check_query(q.q)
    near, city = where(catalog, q.city, q.quarter)
    found = searching.find_dishes(catalog, query, at=call.app[DATABASE].clock(), tz=call.app[SETTINGS].timezone,
                                  near=near, city=city or None)
    if q.open:
        found = [f for f in found if f.open_now]
    items = []
    for f in found[: q.limit]:
        r = catalog.restaurant(f.restaurant_id)
        items.append(FoundDish(
            dish_id=f.item_id, number=f.number, name_en=f.name_en, name_fr=f.name_fr, price_xaf=f.price_xaf,
            restaurant=RestaurantBasics(id=r.id, slug=r.slug, name=r.name, city=r.city, quarter=r.quarter.name),
            open_now=f.open_now, distance_km=round(f.distance_km, 2) if f.distance_km is not None else None,
            rating=f.rating, score=f.score,
        ))
    return DishResults(query=query, items=items)
