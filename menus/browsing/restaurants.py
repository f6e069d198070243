"""Restaurants of a place (open ones choosable, nearest first when the quarter is known, each
with its customers' average, "4.6*"), then a restaurant's categories under its name, average
and count ("4.6* (12)"), its offer of the moment and a line to mark it a favourite."""
from core.ratings import shown, titled
from menus.browsing.marks import is_favourite, mark_line, toggle
from menus.browsing.offers import offer_key, offer_line
from menus.choices import Choice, Filled, Move, name_of
from menus.hopping import Hopping
from menus.screen import N_, Screen
from menus.words import WORDS


async def restaurants(h: Hopping) -> Filled:
    near = h.catalog.quarter(h.state.quarter_id)
    where = h.t(WORDS["near_quarter"], quarter=near.name) if near else h.t(WORDS["in_city"], city=h.state.city)
    choices = []
    for listing in h.catalog.restaurants_in(h.state.city or "", at=h.now(), tz=h.tz, near=near):
        label = listing.restaurant.name
        if stars := shown(listing.restaurant.rating_total, listing.restaurant.rating_count):
            label += f" {stars}"
        if not listing.is_open:
            label += f" ({h.t(WORDS['closed'])})"
        choices.append(
            Choice(label, "pick_restaurant", listing.restaurant.id, refusal=None if listing.is_open else "closed")
        )
    return Filled(values={"where": where}, choices=choices)


async def pick_restaurant(h: Hopping, choice: Choice) -> Move:
    if h.state.restaurant_id != choice.value:
        h.state.lines = []  # a basket holds the dishes of one restaurant
        h.state.address = None
    h.state.restaurant_id = choice.value
    return to_menu(h, "pick_restaurant")


def to_menu(h: Hopping, trigger: str) -> Move:
    """To the categories of the restaurant, or straight to its dishes when it has one."""
    found = h.catalog.categories(h.state.restaurant_id)
    h.state.category_id = None if len(found) > 1 else (found[0].id if found else None)
    return Move(trigger)


async def categories(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    choices = [
        Choice(name_of(c, h.state.language), "pick_category", c.id) for c in h.catalog.categories(restaurant.id)
    ]
    choices.append(Choice(mark_line(h, restaurant.id), "favourite", restaurant.id))  # last: the numbers above stay
    return Filled(values={"restaurant": titled(restaurant.name, restaurant.rating_total, restaurant.rating_count),
                          "offer": offer_line(h, restaurant.id)}, choices=choices)


async def pick_category(h: Hopping, choice: Choice) -> Move:
    if choice.action == "favourite":
        return await toggle(h, choice.value)
    h.state.category_id = choice.value
    return Move("pick_category")


def _opening_minute(h: Hopping) -> tuple:
    # Opening hours are kept to the minute: within one, the same place lists the same way.
    return h.state.city, h.state.quarter_id, h.now().replace(second=0, microsecond=0)


RESTAURANTS = Screen(
    name="restaurants", title=N_("Restaurants {where}:"), lists="restaurants", fill=restaurants,
    pick=pick_restaurant, cached_by=_opening_minute,
)
CATEGORIES = Screen(
    name="categories", title="{restaurant}{offer}", lists="categories", fill=categories, pick=pick_category,
    cached_by=lambda h: (h.state.restaurant_id, offer_key(h, h.state.restaurant_id), is_favourite(h, h.state.restaurant_id)),
)
