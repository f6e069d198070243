"""Finding food: where to look, restaurants, categories, dishes, their options, how many."""
from sqlalchemy import select

from channels.dialogs.choices import (
    Choice,
    Filled,
    Move,
    amount,
    fills,
    name_of,
    picks,
    price,
    types,
)
from channels.dialogs.context import Hopping
from core.models import Address, Quarter
from core.pricing import MAX_QUANTITY
from menus.screens import WORDS

MAX_SAVED_PLACES = 2


async def saved_quarters(h: Hopping) -> list[list]:
    """[[quarter id, name], ...] of the person's latest addresses, newest first."""
    rows = await h.unit.session.execute(
        select(Quarter.id, Quarter.name)
        .join(Address, Address.quarter_id == Quarter.id)
        .where(Address.account_id == h.account_id)
        .order_by(Address.last_used_at.desc())
        .limit(5)
    )
    seen: list[list] = []
    for quarter_id, name in rows:
        if [quarter_id, name] not in seen:
            seen.append([quarter_id, name])
    return seen[:MAX_SAVED_PLACES]


@fills("places")
async def places(h: Hopping) -> Filled:
    near = h.state.known.get("near", [])
    choices = [Choice(h.t(WORDS["near"], quarter=name), "pick_place", ["near", qid]) for qid, name in near]
    choices += [Choice(city, "pick_place", ["city", city]) for city in h.catalog.cities()]
    choices.append(Choice(h.t(WORDS["type_quarter"]), "type_quarter"))
    return Filled(choices=choices)


@picks("places")
async def pick_place(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_place":
        kind, value = choice.value
        if kind == "near":
            quarter = h.catalog.quarter(value)
            h.state.city, h.state.quarter_id = quarter.city, quarter.id
        else:
            h.state.city, h.state.quarter_id = value, None
    return Move(choice.action)


@types("quarter_input")
async def typed_quarter(h: Hopping, text: str) -> Move:
    found = h.catalog.gazetteer.match(text)
    if found is None:
        return Move(None, hint="unknown_quarter")
    h.state.city, h.state.quarter_id = found.city, h.catalog.quarter_ids[(found.city, found.name)]
    return Move("quarter_found")


@fills("restaurants")
async def restaurants(h: Hopping) -> Filled:
    near = h.catalog.quarter(h.state.quarter_id)
    where = h.t(WORDS["near_quarter"], quarter=near.name) if near else h.t(WORDS["in_city"], city=h.state.city)
    choices = []
    for listing in h.catalog.restaurants_in(h.state.city or "", at=h.unit.now(), tz=h.tz, near=near):
        label = listing.restaurant.name
        if not listing.is_open:
            label += f" ({h.t(WORDS['closed'])})"
        choices.append(
            Choice(label, "pick_restaurant", listing.restaurant.id, refusal=None if listing.is_open else "closed")
        )
    return Filled(values={"where": where}, choices=choices)


@picks("restaurants")
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
    return Move(trigger, facts={"has_many_categories": len(found) > 1})


@fills("categories")
async def categories(h: Hopping) -> Filled:
    restaurant = h.catalog.restaurant(h.state.restaurant_id)
    choices = [
        Choice(name_of(c, h.state.language), "pick_category", c.id) for c in h.catalog.categories(restaurant.id)
    ]
    return Filled(values={"restaurant": restaurant.name}, choices=choices)


@picks("categories")
async def pick_category(h: Hopping, choice: Choice) -> Move:
    h.state.category_id = choice.value
    return Move("pick_category")


@fills("dishes")
async def dishes(h: Hopping) -> Filled:
    if h.state.category_id:
        title = name_of(h.catalog.category[h.state.category_id], h.state.language)
    else:
        title = h.catalog.restaurant(h.state.restaurant_id).name
    choices = []
    for item in h.catalog.dishes(h.state.restaurant_id, h.state.category_id):
        label = f"{name_of(item, h.state.language)} {price(h, item.price_xaf)}"
        if not item.available:
            label = f"{name_of(item, h.state.language)} ({h.t(WORDS['sold_out'])})"
        choices.append(Choice(label, "pick_dish", item.id, refusal=None if item.available else "sold_out"))
    return Filled(values={"category": title}, choices=choices)


@picks("dishes")
async def pick_dish(h: Hopping, choice: Choice) -> Move:
    item = h.catalog.dish(choice.value, h.state.restaurant_id)
    h.state.item_id, h.state.group, h.state.picked = item.id, 0, []
    return Move("pick_dish", facts={"has_options": bool(item.option_groups)})


def _multi(group) -> bool:
    return group.max_choices > 1 or group.min_choices == 0


@fills("choice")
async def choice(h: Hopping) -> Filled:
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


@picks("choice")
async def pick_choice(h: Hopping, choice: Choice) -> Move:
    """Sizes are picked once; extras toggle on the same screen until Continue or the maximum."""
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
    more = h.state.group + 1 < len(item.option_groups)
    if more:
        h.state.group += 1
    return Move("pick_choice", facts={"has_more_groups": more})


@fills("quantity")
async def quantity(h: Hopping) -> Filled:
    item = h.catalog.dish(h.state.item_id)
    return Filled(values={"dish": name_of(item, h.state.language), "price": amount(h, item.price_xaf)})


@types("quantity")
async def typed_quantity(h: Hopping, text: str) -> Move:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_QUANTITY:  # "³" is a digit to Python
        return Move(None, hint="bad_quantity")
    options = [option for group in h.state.picked for option in group]
    h.state.lines.append([h.state.item_id, int(text), options])
    h.state.item_id, h.state.group, h.state.picked = None, 0, []
    return Move("set_quantity")
