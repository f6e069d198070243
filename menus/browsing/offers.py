"""The one short line a restaurant's menu screen shows while one of its offers holds."""
from core import promotions
from core.i18n import N_
from menus.choices import amount
from menus.hopping import Hopping

OFFER = N_("Offer: -{off} on food {start}-{end}")
OFFER_FROM = N_("Offer: -{off} on food {start}-{end}, from {minimum}")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def offer_on(h: Hopping, restaurant_id: int | None):
    return promotions.offer_now(h.catalog.offers(restaurant_id), h.now(), h.tz)


def offer_line(h: Hopping, restaurant_id: int | None) -> str:
    """'\\nOffer: -20% on food 14:00-17:00', or '' when no offer holds now."""
    offer = offer_on(h, restaurant_id)
    if offer is None:
        return ""
    off = f"{offer.value}%" if offer.kind == "percent" else amount(h, offer.value)
    values = {"off": off, "start": _clock(offer.starts_minute), "end": _clock(offer.ends_minute)}
    if offer.min_subtotal_xaf:
        return "\n" + h.t(OFFER_FROM, minimum=amount(h, offer.min_subtotal_xaf), **values)
    return "\n" + h.t(OFFER, **values)


def offer_key(h: Hopping, restaurant_id: int | None) -> int | None:
    """What a cached menu screen depends on besides the catalog: the offer on now, if any."""
    offer = offer_on(h, restaurant_id)
    return offer.id if offer is not None else None
