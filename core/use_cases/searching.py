"""Searching a dish by name, alike for SMS FIND/CHERCHER, the USSD and WhatsApp "Search a dish"
screens and the REST API: what the query may be, which dishes it finds (`core.dish_search`), and
in which order they come.

Read from the catalog snapshot, so a search costs no query. Only available dishes of approved
restaurants are found. They come open restaurants first, then by distance from the customer's
quarter counted as the delivery fee counts it (two restaurants the same fee away are equally
near), then by rating, then by how well the name matched. Near a quarter, only that city's
restaurants are searched. The rating of a restaurant is its customers' average, kept on the
catalog's restaurant (`core.ratings`); a restaurant without one ranks after the rated ones.
"""
from dataclasses import dataclass
from datetime import datetime

from core import quarters
from core.catalog import Catalog, accepts_orders
from core.dish_search import fold, index_of
from core.errors import BadInput
from core.models import Quarter

MAX_QUERY = 60  # characters, as typed
MIN_LETTERS = 2  # letters or digits once folded: "!!" and "é" search nothing


@dataclass(frozen=True)
class Found:
    """One dish a search found, with what its rank was made of."""

    item_id: int
    restaurant_id: int
    number: int  # the dish's number on its restaurant's menu (MENU <n>, ORDER <n> <dish>)
    name_en: str
    name_fr: str
    price_xaf: int
    restaurant: str
    open_now: bool
    distance_km: float | None  # from the quarter searched near, when one was
    rating: float | None
    score: int  # how well the name matched, 60 to 100


def check_query(text: str | None) -> str:
    """The query, spaces tidied; BadInput when it cannot find anything (empty, too long, no word)."""
    query = " ".join((text or "").split())
    if not query:
        raise BadInput("type a dish name, e.g. ndole")
    if len(query) > MAX_QUERY:
        raise BadInput(f"a dish name is at most {MAX_QUERY} characters")
    if len(fold(query).replace(" ", "")) < MIN_LETTERS:
        raise BadInput(f"type at least {MIN_LETTERS} letters of a dish name")
    return query


def find_dishes(
    catalog: Catalog, text: str | None, *, at: datetime, tz: str, near: Quarter | None = None,
    city: str | None = None,
) -> list[Found]:
    """The dishes `text` names, best first (see the module's docstring). `near`: the customer's
    quarter, for distances and the city; `city` keeps one city's restaurants."""
    query = check_query(text)
    city = city or (near.city if near is not None else None)
    found = []
    for item_id, score in index_of(catalog).scores(query, city).items():
        item = catalog.items[item_id]
        restaurant = catalog.restaurants[item.restaurant_id]
        distance = quarters.distance_km(near.lat, near.lon, restaurant.lat, restaurant.lon) if near is not None else None
        found.append(Found(
            item_id=item.id, restaurant_id=restaurant.id, number=item.position, name_en=item.name_en,
            name_fr=item.name_fr, price_xaf=item.price_xaf, restaurant=restaurant.name,
            open_now=accepts_orders(restaurant, at, tz), distance_km=distance,
            rating=restaurant.rating_average,
            score=score,
        ))
    found.sort(key=_rank)
    return found


def _rank(f: Found) -> tuple:
    fee = quarters.delivery_fee_xaf(f.distance_km) if f.distance_km is not None else 0
    return (not f.open_now, fee, f.rating is None, -(f.rating or 0.0), -f.score, f.restaurant, f.number)

