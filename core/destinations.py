"""Where an order goes, built one way from whatever a channel has: a quarter typed on a keypad or
in an app, an address kept in a session, a saved address, a past order."""
from collections.abc import Mapping
from typing import Any

from core.catalog import Catalog
from core.models import Address, Order
from core.order_views import OrderView
from core.orders import Destination

MAX_QUARTER_TEXT = 80
MAX_LANDMARK = 120


def typed(catalog: Catalog, city: str, quarter_text: str, landmark: str = "") -> Destination:
    """A quarter as typed, matched against the gazetteer of the restaurant's city; kept as typed
    when nothing matches (the driver asks the way, support can add the quarter)."""
    quarter_text, landmark = " ".join(quarter_text.split()), " ".join(landmark.split())[:MAX_LANDMARK]
    found = catalog.gazetteer.match(quarter_text, city=city)
    if found is None or found.city != city:
        return Destination(city=city, quarter_text=quarter_text[:MAX_QUARTER_TEXT], landmark=landmark)
    quarter = catalog.quarter(catalog.quarter_ids[(found.city, found.name)])
    return Destination(city=city, quarter_text=quarter.name, landmark=landmark, quarter_id=quarter.id,
                       lat=quarter.lat, lon=quarter.lon)


def saved(catalog: Catalog, address: Address) -> Destination:
    """A saved address, placed at its quarter's point when it has one."""
    quarter = catalog.quarter(address.quarter_id) if address.quarter_id else None
    return Destination(
        city=address.city, quarter_text=address.quarter_text, landmark=address.landmark, directions=address.directions,
        quarter_id=address.quarter_id, lat=quarter.lat if quarter else address.lat,
        lon=quarter.lon if quarter else address.lon, address_id=address.id,
    )


def of_order(catalog: Catalog, order: Order | OrderView) -> Destination | None:
    """Where a past order went, to send the same dishes there again; None for a pickup."""
    if order.fulfilment != "delivery":
        return None
    quarter = catalog.quarter(order.quarter_id) if order.quarter_id else None
    return Destination(
        city=order.city, quarter_text=order.quarter_text, landmark=order.landmark, directions=order.directions,
        quarter_id=order.quarter_id, lat=quarter.lat if quarter else None, lon=quarter.lon if quarter else None,
        address_id=order.address_id,
    )


def fields(destination: Destination) -> dict[str, Any]:
    """A destination as plain values, to keep in a session between messages."""
    return {
        "id": destination.address_id, "city": destination.city, "quarter": destination.quarter_text,
        "quarter_id": destination.quarter_id, "landmark": destination.landmark, "directions": destination.directions,
        "lat": destination.lat, "lon": destination.lon,
    }


def kept(catalog: Catalog, values: Mapping[str, Any]) -> Destination:
    """A destination kept by `fields` (or by an earlier version of it, with fewer keys)."""
    quarter = catalog.quarter(values["quarter_id"]) if values.get("quarter_id") else None
    return Destination(
        city=values["city"], quarter_text=values["quarter"], landmark=values.get("landmark", ""),
        directions=values.get("directions", ""), quarter_id=values.get("quarter_id"),
        lat=quarter.lat if quarter else values.get("lat"), lon=quarter.lon if quarter else values.get("lon"),
        address_id=values.get("id"),
    )
