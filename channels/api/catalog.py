"""GET /api/v1/restaurants (search by name, city, quarter, dish; open now first) and their menus.

Both read the catalog snapshot and carry an ETag: apps polling a menu get 304 until it changes.
"""

from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.schemas import RestaurantBasics, Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS
from core.catalog import Catalog, accepts_orders
from core.errors import BadInput, NotFound
from core.models import Quarter, Restaurant


class CategoryOut(Shape):
    id: int
    name_en: str
    name_fr: str


class RestaurantOut(RestaurantBasics):
    """A restaurant as customers see it: where, whether it takes orders now, what it serves."""

    landmark: str
    open_now: bool
    distance_km: float | None = Field(description="from the quarter searched, when one was")
    categories: list[CategoryOut]
    rating_average: float | None = Field(description="customers' average stars, 1 to 5; null before the first rating")
    rating_count: int


class RestaurantList(Shape):
    items: list[RestaurantOut]


class OptionOut(Shape):
    id: int
    name_en: str
    name_fr: str
    price_delta_xaf: int
    available: bool


class OptionGroupOut(Shape):
    id: int
    name_en: str
    name_fr: str
    min: int
    max: int
    options: list[OptionOut]


class DishOut(Shape):
    id: int
    number: int = Field(description="the dish's number on the menu, as SMS orders use it")
    category_id: int
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    price_xaf: int
    available: bool
    option_groups: list[OptionGroupOut]


class MenuOut(Shape):
    restaurant: RestaurantOut
    dishes: list[DishOut]


class Search(Shape):
    city: str | None = Field(None, max_length=40, description="Yaounde or Douala")
    quarter: str | None = Field(None, max_length=80, description="a quarter as people type it; nearest first")
    name: str | None = Field(None, max_length=60, description="part of the restaurant's name")
    dish: str | None = Field(None, max_length=60, description="part of a dish's name, English or French")
    open: bool | None = Field(None, description="true: only those taking orders now")


def where(catalog: Catalog, city: str | None, quarter: str | None) -> tuple[Quarter | None, str]:
    """The quarter typed (matched as people type it) and the city asked or its quarter's ("": any)."""
    city = (city or "").strip()
    near = None
    if quarter and quarter.strip():
        found = catalog.gazetteer.match(quarter, city=city or None)
        if found is None:
            raise BadInput(f"unknown quarter {quarter!r}")
        near, city = catalog.quarter(catalog.quarter_ids[(found.city, found.name)]), found.city
    served = sorted(set(catalog.cities()) | set(catalog.gazetteer.cities()))
    if city and city not in served:  # a gazetteer city with no restaurant yet lists none
        raise BadInput(f"city must be one of {', '.join(served)}")
    return near, city


def restaurant_out(catalog: Catalog, restaurant: Restaurant, is_open: bool, distance_km: float | None) -> RestaurantOut:
    return RestaurantOut(
        id=restaurant.id, slug=restaurant.slug, name=restaurant.name, city=restaurant.city,
        quarter=restaurant.quarter.name, landmark=restaurant.landmark, open_now=is_open,
        distance_km=round(distance_km, 2) if distance_km is not None else None,
        categories=[CategoryOut(id=c.id, name_en=c.name_en, name_fr=c.name_fr) for c in catalog.categories(restaurant.id)],
        rating_average=restaurant.rating_average, rating_count=restaurant.rating_count,
    )


@endpoint("GET", "/api/v1/restaurants", tag="restaurants", query=Search, response=RestaurantList, auth=False,
          summary="Find restaurants: open ones first, nearest first from a quarter", roles="anyone", etag=True)
async def search(call: Call) -> RestaurantList:
    catalog = await call.app[DIALOGS].catalog.get()
    q: Search = call.query
    near, city = where(catalog, q.city, q.quarter)
    cities = [city] if city else catalog.cities()
    now = call.app[DATABASE].clock()
    name, dish = (q.name or "").strip().lower(), (q.dish or "").strip().lower()
    items = []
    for each in cities:
        for listing in catalog.restaurants_in(each, at=now, tz=call.app[SETTINGS].timezone, near=near):
            r = listing.restaurant
            if name and name not in r.name.lower():
                continue
            if dish and not any(dish in d.name_en.lower() or dish in d.name_fr.lower() for d in catalog.dishes(r.id)):
                continue
            if q.open and not listing.is_open:
                continue
            items.append(restaurant_out(catalog, r, listing.is_open, listing.distance_km))
    return RestaurantList(items=items)


def dish_out(d) -> DishOut:
    return DishOut(
        id=d.id, number=d.position, category_id=d.category_id, name_en=d.name_en, name_fr=d.name_fr,
        description_en=d.description_en, description_fr=d.description_fr, price_xaf=d.price_xaf, available=d.available,
        option_groups=[
            OptionGroupOut(
                id=g.id, name_en=g.name_en, name_fr=g.name_fr, min=g.min_choices, max=g.max_choices,
                options=[OptionOut(id=o.id, name_en=o.name_en, name_fr=o.name_fr, price_delta_xaf=o.price_delta_xaf,
                                   available=o.available) for o in g.options],
            )
            for g in d.option_groups
        ],
    )


@endpoint("GET", "/api/v1/restaurants/{restaurant_id}/menu", tag="restaurants", response=MenuOut, auth=False,
          summary="A restaurant's menu: dishes, options and what is available now", roles="anyone", etag=True)
async def menu(call: Call) -> MenuOut:
    catalog = await call.app[DIALOGS].catalog.get()
    try:
        restaurant = catalog.restaurant(call.path["restaurant_id"])
    except (KeyError, ValueError):
        raise NotFound("no such restaurant") from None
    is_open = accepts_orders(restaurant, call.app[DATABASE].clock(), call.app[SETTINGS].timezone)
    return MenuOut(restaurant=restaurant_out(catalog, restaurant, is_open, None),
                   dishes=[dish_out(d) for d in catalog.dishes(restaurant.id)])
