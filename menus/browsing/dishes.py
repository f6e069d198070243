"""A restaurant's dishes, a dish's options group by group, and how many."""
from core.pricing import MAX_QUANTITY
from core.ratings import titled
from menus.browsing.marks import FAVOURITE_KEY, is_favourite, mark_line, toggle
from menus.browsing.offers import offer_key, offer_line
from menus.choices import Choice, Filled, Move, amount, name_of, price
from menus.hopping import Hopping
from menus.screen import N_, Screen
from menus.words import WORDS


async def dishes(h: Hopping) -> Filled:
    if h.state.category_id:
        title = name_of(h.catalog.category[h.state.category_id], h.state.language)
    else:
        restaurant = h.catalog.restaurant(h.state.restaurant_id)
        title = titled(restaurant.name, restaurant.rating_total, restaurant.rating_count)
    offer = offer_line(h, h.state.restaurant_id) if _is_menu(h) else ""
    choices = []
    for item in h.catalog.dishes(h.state.restaurant_id, h.state.category_id):
        label = f"{name_of(item, h.state.language)} {price(h, item.price_xaf)}"
        if not item.available:
            label = f"{name_of(item, h.state.language)} ({h.t(WORDS['sold_out'])})"
        choices.append(Choice(label, "pick_dish", item.id, refusal=None if item.available else "sold_out"))
    if _is_menu(h):  # the restaurant's own menu screen: it is marked here, last so dish numbers stay
        choices.append(Choice(mark_line(h, h.state.restaurant_id), "favourite", h.state.restaurant_id))
    return Filled(values={"category": title, "offer": offer}, choices=choices)


def _is_menu(h: Hopping) -> bool:
    """The dishes are the restaurant's menu screen when it has no categories to choose from."""
    return h.catalog.category_count(h.state.restaurant_id) <= 1


async def pick_dish(h: Hopping, choice: Choice) -> Move:
    if choice.action == "favourite":
        return await toggle(h, choice.value)
    item = h.catalog.dish(choice.value, h.state.restaurant_id)
    h.state.item_id, h.state.group, h.state.picked = item.id, 0, []
    return Move("pick_dish")


def _multi(group) -> bool:
    return group.max_choices > 1 or group.min_choices == 0


async def options(h: Hopping) -> Filled:
    item = h.catalog.dish(h.state.item_id)
    group = item.option_groups[h.state.group]
    picked = set(h.state.picked[h.state.group]) if len(h.state.picked) > h.state.group else set()
    choices = []
    if _multi(group):
        done = WORDS["continue"] if picked else WORDS["no_thanks"]
        choices.append(Choice(h.t(done), "done"))
    for option in group.options:
        mark = "*" if option.id in picked else ""
        extra = f" +{price(h, option.price_delta_xaf)}" if option.price_delta_xaf else ""
        choices.append(
            Choice(
                f"{mark}{name_of(option, h.state.language)}{extra}",
                "toggle" if _multi(group) else "pick",
                option.id,
                refusal=None if option.available else "sold_out",
            )
        )
    values = {"dish": name_of(item, h.state.language), "group": name_of(group, h.state.language)}
    return Filled(values=values, choices=choices)


async def pick_option(h: Hopping, choice: Choice) -> Move:
    """Sizes are picked once; extras toggle on the same screen until Continue or the maximum.
    The dialog machine moves on to the next group (or to how many) when the group is done."""
    item = h.catalog.dish(h.state.item_id)
    group = item.option_groups[h.state.group]
    del h.state.picked[h.state.group + 1:]  # coming back to a group chooses what follows again
    while len(h.state.picked) <= h.state.group:
        h.state.picked.append([])
    mine = h.state.picked[h.state.group]
    if choice.action == "pick":
        mine[:] = [choice.value]
    elif choice.action == "toggle":
        if choice.value in mine:
            mine.remove(choice.value)
            return Move(None)
        mine.append(choice.value)
        if len(mine) < group.max_choices:
            return Move(None)
    elif len(mine) < group.min_choices:
        return Move(None, hint="choose_required")
    return Move("pick_choice")


async def quantity(h: Hopping) -> Filled:
    item = h.catalog.dish(h.state.item_id)
    return Filled(values={
        "dish": name_of(item, h.state.language), "price": amount(h, item.price_xaf),
        "favourite": mark_line(h, item.restaurant_id, item.id),
    })


async def typed_quantity(h: Hopping, text: str) -> Move:
    if text == FAVOURITE_KEY:
        item = h.catalog.dish(h.state.item_id)
        return await toggle(h, item.restaurant_id, item.id)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_QUANTITY:  # "³" is a digit to Python
        return Move(None, hint="bad_quantity")
    options = [option for group in h.state.picked for option in group]
    h.state.lines.append([h.state.item_id, int(text), options])
    h.state.item_id, h.state.group, h.state.picked = None, 0, []
    return Move("set_quantity")


def _picked_so_far(h: Hopping) -> tuple:
    return h.state.item_id, h.state.group, tuple(tuple(group) for group in h.state.picked)


DISHES = Screen(
    name="dishes", title="{category}{offer}", lists="dishes", fill=dishes, pick=pick_dish,
    cached_by=lambda h: (h.state.restaurant_id, h.state.category_id,
                         (offer_key(h, h.state.restaurant_id), is_favourite(h, h.state.restaurant_id)) if _is_menu(h) else None),
)
CHOICE = Screen(
    name="choice", title="{dish}: {group}", lists="choices", fill=options, pick=pick_option, cached_by=_picked_so_far,
)
QUANTITY = Screen(
    name="quantity", title=N_("{dish} {price}\n99 {favourite}"), prompt=N_("How many? (1-20)"), fill=quantity,
    typed=typed_quantity, cached_by=lambda h: (h.state.item_id, is_favourite(h, h.state.restaurant_id, h.state.item_id)),
)
