"""The favourites screen, which opens a restaurant or a dish in one key, and what it shares with
the popular list: a dish as a line that opens it (`menus.browsing.marks` marks and unmarks)."""
from core.catalog import accepts_orders
from menus.browsing.marks import KNOWN
from menus.browsing.restaurants import to_menu
from menus.choices import Choice, Filled, Move, name_of
from menus.hopping import Hopping
from menus.screen import N_, Screen
from menus.words import WORDS


def open_dish(h: Hopping, item_id: int) -> Move:
    """Straight to a dish of any restaurant (from favourites or what is popular): the basket
    starts again if it held another restaurant's dishes."""
    item = h.catalog.dish(item_id)
    if h.state.restaurant_id != item.restaurant_id:
        h.state.lines, h.state.address = [], None
    h.state.restaurant_id = item.restaurant_id
    to_menu(h, "open_dish")  # where "add more" leads from the basket
    h.state.item_id, h.state.group, h.state.picked = item.id, 0, []
    return Move("open_dish")


def dish_choice(h: Hopping, item_id: int, action: str) -> Choice | None:
    """A dish as a line of a list that opens it: 'Ndole - Chez Maman Ngo', closed or sold out
    shown and refused; None when it has left the menu."""
    item = h.catalog.items.get(item_id)
    restaurant = h.catalog.restaurants.get(item.restaurant_id) if item is not None else None
    if item is None or restaurant is None or restaurant.status != "approved":
        return None
    label = f"{name_of(item, h.state.language)} - {restaurant.name}"
    refusal = None
    if not accepts_orders(restaurant, h.now(), h.tz):
        label, refusal = f"{label} ({h.t(WORDS['closed'])})", "closed"
    elif not item.available:
        label, refusal = f"{label} ({h.t(WORDS['sold_out'])})", "sold_out"
    return Choice(label, action, item.id, refusal=refusal)


async def listed(h: Hopping) -> Filled:
    choices = []
    for restaurant_id, item_id in h.state.known.get(KNOWN, []):
        if item_id:
            choice = dish_choice(h, item_id, "open_dish")
        else:
            restaurant = h.catalog.restaurants.get(restaurant_id)
            choice = None
            if restaurant is not None and restaurant.status == "approved":
                is_open = accepts_orders(restaurant, h.now(), h.tz)
                label = restaurant.name if is_open else f"{restaurant.name} ({h.t(WORDS['closed'])})"
                choice = Choice(label, "open_restaurant", restaurant.id, refusal=None if is_open else "closed")
        if choice is not None:
            choices.append(choice)
    title = N_("Your favourites:") if choices else N_("No favourites yet. Add one from a restaurant's menu or a dish (99).")
    return Filled(values={"title": h.t(title)}, choices=choices)


async def pick_listed(h: Hopping, choice: Choice) -> Move:
    if choice.action == "open_dish":
        return open_dish(h, choice.value)
    restaurant = h.catalog.restaurant(choice.value)
    if h.state.restaurant_id != restaurant.id:
        h.state.lines, h.state.address = [], None
    h.state.restaurant_id = restaurant.id
    return to_menu(h, "open_restaurant")


FAVOURITES = Screen(name="favourites", title="{title}", lists="favourites", fill=listed, pick=pick_listed)
