"""A customer's favourites and usual order, and what neighbours order now, for the apps.

The rules are the use cases' (`core.use_cases.favourites`, `core.use_cases.popular`); the usual
is ordered again with `POST /api/v1/orders/{code}/reorder`, as any past order.
"""
from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.schemas import Shape
from channels.keys import DATABASE, DIALOGS, SETTINGS
from core.catalog import Catalog, accepts_orders
from core.errors import NotFound
from core.use_cases import favourites, popular as popular_dishes

MINE = "any signed-in account: its own favourites"


class FavouriteRestaurant(Shape):
    id: int
    name: str
    city: str
    quarter: str
    open_now: bool


class FavouriteDish(Shape):
    id: int
    restaurant_id: int
    restaurant: str
    name_en: str
    name_fr: str
    price_xaf: int
    available: bool
    open_now: bool = Field(description="its restaurant takes orders now")


class FavouritesOut(Shape):
    restaurants: list[FavouriteRestaurant] = Field(description="newest first")
    dishes: list[FavouriteDish] = Field(description="newest first")


class UsualLine(Shape):
    item_id: int
    name_en: str
    name_fr: str
    quantity: int


class UsualOut(Shape):
    order_code: str = Field(description="the newest order of the usual basket: reorder it with POST /orders/{code}/reorder")
    restaurant_id: int
    restaurant: str
    times: int = Field(description="how many of the recent orders were this basket")
    lines: list[UsualLine]


class PopularQuery(Shape):
    quarter: str = Field(min_length=1, max_length=80, description="a quarter as people type it")
    city: str | None = Field(None, max_length=40, description="Yaounde or Douala, when the quarter's name is in both")


class PopularDishOut(FavouriteDish):
    orders: int = Field(description="orders of the quarter around this hour that held it")


class PopularOut(Shape):
    quarter: str
    city: str
    hour: int = Field(description="the local hour the list is for: orders placed within an hour of it, any day of the last 4 weeks")
    dishes: list[PopularDishOut] = Field(description="most ordered first")


def _dish(call: Call, catalog: Catalog, item_id: int) -> FavouriteDish | None:
    item = catalog.items.get(item_id)
    restaurant = catalog.restaurants.get(item.restaurant_id) if item is not None else None
    if restaurant is None or restaurant.status != "approved":
        return None  # off the menus since: not shown
    return FavouriteDish(
        id=item.id, restaurant_id=restaurant.id, restaurant=restaurant.name, name_en=item.name_en, name_fr=item.name_fr,
        price_xaf=item.price_xaf, available=item.available,
        open_now=accepts_orders(restaurant, call.app[DATABASE].clock(), call.app[SETTINGS].timezone),
    )


async def _listed(call: Call, catalog: Catalog) -> FavouritesOut:
    restaurants, dishes = [], []
    now, tz = call.app[DATABASE].clock(), call.app[SETTINGS].timezone
    for favourite in await favourites.favourites_of(call.app[DATABASE], call.account_id):
        if favourite.is_dish:
            if (dish := _dish(call, catalog, favourite.item_id)) is not None:
                dishes.append(dish)
            continue
        restaurant = catalog.restaurants.get(favourite.restaurant_id)
        if restaurant is not None and restaurant.status == "approved":
            restaurants.append(FavouriteRestaurant(
                id=restaurant.id, name=restaurant.name, city=restaurant.city, quarter=restaurant.quarter.name,
                open_now=accepts_orders(restaurant, now, tz),
            ))
    return FavouritesOut(restaurants=restaurants, dishes=dishes)


@endpoint("GET", "/api/v1/me/favourites", tag="favourites", response=FavouritesOut, summary="My favourite restaurants and dishes",
          roles=MINE)
async def listed(call: Call) -> FavouritesOut:
    return await _listed(call, await call.app[DIALOGS].catalog.get())


@endpoint("PUT", "/api/v1/me/favourites/restaurants/{restaurant_id}", tag="favourites", response=FavouritesOut,
          summary="Mark a restaurant as a favourite (again: no change); answers the whole list", roles=MINE)
async def mark_restaurant(call: Call) -> FavouritesOut:
    catalog = await call.app[DIALOGS].catalog.get()
    await favourites.mark(call.app[DATABASE], catalog, call.account_id, restaurant_id=call.path["restaurant_id"])
    return await _listed(call, catalog)


@endpoint("DELETE", "/api/v1/me/favourites/restaurants/{restaurant_id}", tag="favourites", status=204,
          summary="Take a restaurant off my favourites (one that was not on them: no change)", roles=MINE)
async def unmark_restaurant(call: Call) -> None:
    await favourites.unmark(call.app[DATABASE], call.account_id, restaurant_id=call.path["restaurant_id"])


@endpoint("PUT", "/api/v1/me/favourites/dishes/{item_id}", tag="favourites", response=FavouritesOut,
          summary="Mark a dish as a favourite (again: no change); answers the whole list", roles=MINE)
async def mark_dish(call: Call) -> FavouritesOut:
    catalog = await call.app[DIALOGS].catalog.get()
    await favourites.mark(call.app[DATABASE], catalog, call.account_id, item_id=call.path["item_id"])
    return await _listed(call, catalog)


@endpoint("DELETE", "/api/v1/me/favourites/dishes/{item_id}", tag="favourites", status=204,
          summary="Take a dish off my favourites (one that was not on them: no change)", roles=MINE)
async def unmark_dish(call: Call) -> None:
    await favourites.unmark(call.app[DATABASE], call.account_id, item_id=call.path["item_id"])


@endpoint("GET", "/api/v1/me/usual", tag="favourites", response=UsualOut,
          summary="My usual order: the basket I ordered most (at least twice) of my last 20 orders; 404 when none",
          roles="any signed-in account: its own orders")
async def usual(call: Call) -> UsualOut:
    found = await favourites.usual(call.app[DATABASE], call.account_id)
    if found is None:
        raise NotFound("no usual order yet: one basket ordered at least twice makes one")
    catalog = await call.app[DIALOGS].catalog.get()
    order = found.order
    return UsualOut(
        order_code=order.code, restaurant_id=order.restaurant_id, restaurant=catalog.restaurant(order.restaurant_id).name,
        times=found.times, lines=[UsualLine(item_id=l.item_id, name_en=l.name_en, name_fr=l.name_fr, quantity=l.quantity)
                                  for l in order.lines],
    )


@endpoint("GET", "/api/v1/popular", tag="favourites", query=PopularQuery, response=PopularOut, auth=False,
          summary="Popular in a quarter now: what its orders held around this local hour over the last 4 weeks",
          roles="anyone")
async def popular(call: Call) -> PopularOut:
    catalog = await call.app[DIALOGS].catalog.get()
    quarter = popular_dishes.quarter_named(catalog, call.query.quarter, call.query.city)
    found = await popular_dishes.popular(call.app[DATABASE], call.app[DIALOGS].popular, quarter.id,
                                         tz=call.app[SETTINGS].timezone)
    dishes = []
    for each in found.dishes:
        if (dish := _dish(call, catalog, each.item_id)) is not None:
            dishes.append(PopularDishOut(**dish.model_dump(), orders=each.orders))
    return PopularOut(quarter=quarter.name, city=quarter.city, hour=found.hour, dishes=dishes)
