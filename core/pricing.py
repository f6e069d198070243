"""Prices in whole XAF: a dish with its options, delivery fees and the platform's commission."""
from collections.abc import Iterable
from dataclasses import dataclass

from core import quarters
from core.errors import BadInput
from core.models import MenuItem, MenuOption, Restaurant

MAX_QUANTITY = 20
UNKNOWN_QUARTER_KM = 3.0  # the charge for an address whose quarter we could not place

# Commission in basis points by tier (SPEC): 15% new, 12% over 100 orders, 10% over 500.
COMMISSION_BPS = {"new": 1500, "regular": 1200, "established": 1000}


def commission_tier(completed_orders: int) -> str:
    if completed_orders > 500:
        return "established"
    if completed_orders > 100:
        return "regular"
    return "new"


MAX_COMMISSION_PERCENT = 50


def commission_xaf(amount_xaf: int, tier: str) -> int:
    """The platform's share of a food amount, rounded half up to the franc."""
    return _share(amount_xaf, COMMISSION_BPS[tier])


def commission_of(amount_xaf: int, restaurant: Restaurant) -> int:
    """The platform's share of a restaurant's food amount: the commission an admin set for it, or
    else its tier's. Every split of a restaurant's takings asks this."""
    if restaurant.commission_percent is not None:
        return _share(amount_xaf, restaurant.commission_percent * 100)
    return commission_xaf(amount_xaf, commission_tier(restaurant.completed_orders))


def _share(amount_xaf: int, bps: int) -> int:
    return (amount_xaf * bps + 5000) // 10000


@dataclass(frozen=True)
class PricedLine:
    item: MenuItem
    options: tuple[MenuOption, ...]
    quantity: int

    @property
    def unit_price_xaf(self) -> int:
        return self.item.price_xaf + sum(o.price_delta_xaf for o in self.options)

    @property
    def total_xaf(self) -> int:
        return self.unit_price_xaf * self.quantity

    def options_snapshot(self) -> list[dict]:
        return [
            {"id": o.id, "name_en": o.name_en, "name_fr": o.name_fr, "price_delta_xaf": o.price_delta_xaf}
            for o in self.options
        ]


def price_line(item: MenuItem, option_ids: Iterable[int], quantity: int) -> PricedLine:
    """Checks the choices against the dish's option groups and prices one line."""
    if not item.available:
        raise BadInput(f"{item.name_en} is sold out")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise BadInput(f"quantity must be between 1 and {MAX_QUANTITY}")
    wanted = list(option_ids)
    if len(set(wanted)) != len(wanted):
        raise BadInput("an option is chosen twice")
    by_id = {o.id: (group, o) for group in item.option_groups for o in group.options}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise BadInput(f"option {unknown[0]} is not offered with {item.name_en}")
    chosen: list[MenuOption] = []
    for group in item.option_groups:
        picked = [by_id[i][1] for i in wanted if by_id[i][0] is group]
        if not group.min_choices <= len(picked) <= group.max_choices:
            raise BadInput(
                f"{item.name_en}: choose {group.min_choices} to {group.max_choices} of {group.name_en}"
            )
        for option in picked:
            if not option.available:
                raise BadInput(f"{option.name_en} is not available")
        chosen.extend(picked)
    return PricedLine(item=item, options=tuple(chosen), quantity=quantity)


@dataclass(frozen=True)
class DeliveryQuote:
    distance_m: int  # road estimate: straight line times the road factor
    fee_xaf: int


def delivery_quote(from_lat: float, from_lon: float, to_lat: float | None, to_lon: float | None) -> DeliveryQuote:
    """The SPEC's fee from the restaurant to the customer's quarter point.

    An address with no known point (a quarter kept as typed) is charged as if 3 km away
    straight; support can add the quarter so that the next order is priced exactly.
    """
    if to_lat is None or to_lon is None:
        straight_km = UNKNOWN_QUARTER_KM
    else:
        straight_km = quarters.distance_km(from_lat, from_lon, to_lat, to_lon)
    return DeliveryQuote(
        distance_m=round(straight_km * quarters.ROAD_FACTOR * 1000),
        fee_xaf=quarters.delivery_fee_xaf(straight_km),
    )

