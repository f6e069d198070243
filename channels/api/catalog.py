"""GET /api/v1/restaurants (search by name, city, quarter, dish; open now first) and their menus.

Both read the catalog snapshot and carry an ETag: apps polling a menu get 304 until it changes.
"""
import hashlib
import json

from aiohttp import web

from channels.keys import DATABASE, DIALOGS, SETTINGS
from core.catalog import Catalog, accepts_orders
from core.errors import BadInput, NotFound
from core.models import Restaurant


def _restaurant(catalog: Catalog, restaurant: Restaurant, is_open: bool, distance_km: float | None) -> dict:
    return {
        "id": restaurant.id, "slug": restaurant.slug, "name": restaurant.name, "city": restaurant.city,
        "quarter": restaurant.quarter.name, "landmark": restaurant.landmark, "open_now": is_open,
        "distance_km": round(distance_km, 2) if distance_km is not None else None,
        "categories": [{"id": c.id, "name_en": c.name_en, "name_fr": c.name_fr} for c in catalog.categories(restaurant.id)],
    }


def _etagged(request: web.Request, body: dict) -> web.Response:
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    tag = '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == tag:
        return web.Response(status=304, headers={"ETag": tag})
    return web.Response(body=payload, content_type="application/json", headers={"ETag": tag, "Cache-Control": "no-cache"})


async def search(request: web.Request) -> web.Response:
    catalog = await request.app[DIALOGS].catalog.get()
    q = request.query
    city = q.get("city", "")
    near = None
    if q.get("quarter"):
        found = catalog.gazetteer.match(q["quarter"], city=city or None)
        if found is None:
            raise BadInput(f"unknown quarter {q['quarter']!r}")
        near, city = catalog.quarter(catalog.quarter_ids[(found.city, found.name)]), found.city
    cities = [city] if city else catalog.cities()
    if city and city not in catalog.cities():
        raise BadInput(f"city must be one of {', '.join(catalog.cities())}")
    now = request.app[DATABASE].clock()
    name, dish = q.get("name", "").strip().lower(), q.get("dish", "").strip().lower()
    items = []
    for each in cities:
        for listing in catalog.restaurants_in(each, at=now, tz=request.app[SETTINGS].timezone, near=near):
            r = listing.restaurant
            if name and name not in r.name.lower():
                continue
            if dish and not any(dish in d.name_en.lower() or dish in d.name_fr.lower() for d in catalog.dishes(r.id)):
                continue
            if q.get("open") == "true" and not listing.is_open:
                continue
            items.append(_restaurant(catalog, r, listing.is_open, listing.distance_km))
    return _etagged(request, {"items": items})


async def menu(request: web.Request) -> web.Response:
    catalog = await request.app[DIALOGS].catalog.get()
    try:
        restaurant = catalog.restaurant(int(request.match_info["restaurant_id"]))
    except ValueError:
        raise NotFound("no such restaurant") from None
    dishes = [
        {
            "id": d.id, "number": d.position, "category_id": d.category_id, "name_en": d.name_en, "name_fr": d.name_fr,
            "description_en": d.description_en, "description_fr": d.description_fr, "price_xaf": d.price_xaf,
            "available": d.available,
            "option_groups": [
                {"id": g.id, "name_en": g.name_en, "name_fr": g.name_fr, "min": g.min_choices, "max": g.max_choices,
                 "options": [{"id": o.id, "name_en": o.name_en, "name_fr": o.name_fr, "price_delta_xaf": o.price_delta_xaf,
                              "available": o.available} for o in g.options]}
                for g in d.option_groups
            ],
        }
        for d in catalog.dishes(restaurant.id)
    ]
    is_open = accepts_orders(restaurant, request.app[DATABASE].clock(), request.app[SETTINGS].timezone)
    return _etagged(request, {"restaurant": _restaurant(catalog, restaurant, is_open, None), "dishes": dishes})


def setup(app: web.Application) -> None:
    app.router.add_get("/api/v1/restaurants", search)
    app.router.add_get("/api/v1/restaurants/{restaurant_id}/menu", menu)
