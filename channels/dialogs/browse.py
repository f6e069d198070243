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
from core import catalog
from core.models import Address, MenuCategory, Quarter
from core.pricing import MAX_QUANTITY
from menus.screens import WORDS

MAX_SAVED_PLACES = 2


async def _saved_quarters(h: Hopping) -> list[Quarter]:
    rows = await h.unit.session.scalars(
        select(Quarter)
        .join(Address, Address.quarter_id == Quarter.id)
        .where(Address.account_id == h.account.id)
        .order_by(Address.last_used_at.desc())
    )
    seen: list[Quarter] = []
    for quarter in rows:
        if quarter not in seen:
            seen.append(quarter)
    return seen[:MAX_SAVED_PLACES]


@fills("places")
async def places(h: Hopping) -> Filled:
    choices = [Choice(h.t(WORDS["near"], quarter=q.name), "pick_place", ["near", q.id]) for q in await _saved_quarters(h)]
    choices += [Choice(city, "pick_place", ["city", city]) for city in await catalog.cities(h.unit)]
    choices.append(Choice(h.t(WORDS["type_quarter"]), "type_quarter"))
    return Filled(choices=choices)


@picks("places")
async def pick_place(h: Hopping, choice: Choice) -> Move:
    if choice.action == "pick_place":
        kind, value = choice.value
        if kind == "near":
            quarter = await h.unit.session.get(Quarter, value)
            h.state.city, h.state.quarter_id = quarter.city, quarter.id
        else:
            h.state.city, h.state.quarter_id = value, None
    return Move(choice.action)


@types("quarter_input")
async def typed_quarter(h: Hopping, text: str) -> Move:
    found = h.places.gazetteer.match(text)
    if found is None:
        return Move(None, hint="unknown_quarter")
    h.state.city, h.state.quarter_id = found.city, h.places.ids[(found.city, found.name)]
    return Move("quarter_found")


async def _near(h: Hopping) -> Quarter | None:
    return await h.unit.session.get(Quarter, h.state.quarter_id) if h.state.quarter_id else None


@fills("restaurants")
async def restaurants(h: Hopping) -> Filled:
    near = await _near(h)
    where = h.t(WORDS["near_quarter"], quarter=near.name) if near else h.t(WORDS["in_city"], city=h.state.city)
    choices = []
    for listing in await catalog.restaurants_in(h.unit, h.state.city or "", tz=h.tz, near=near):
        label = listing.restaurant.name
        if not listing.is_open:
            label += f" ({h.t(WORDS['closed'])})"
        choices.append(
            Choice(label, "pick_restaurant", listing.restaurant.id, refusal=None if listing.is_open else "closed")
        )
    return Filled(values={"where": where}, choices=choices)


async def _categories(h: Hopping) -> list[MenuCategory]:
    return await catalog.categories(h.unit, h.state.restaurant_id)


@picks("restaurants")
async def pick_restaurant(h: Hopping, choice: Choice) -> Move:
    if h.state.restaurant_id != choice.value:
        h.state.lines = []  # a basket holds the dishes of one restaurant
        h.state.address = None
    h.state.restaurant_id = choice.value
    return await _to_menu(h, "pick_restaurant")


async def _to_menu(h: Hopping, trigger: str) -> Move:
    found = await _categories(h)
    h.state.category_id = None if len(found) > 1 else (found[0].id if found else None)
    return Move(trigger, facts={"has_many_categories": len(found) > 1})


@fills("categories")
async def categories(h: Hopping) -> Filled:
    restaurant = await catalog.restaurant(h.unit, h.state.restaurant_id)
    choices = [Choice(name_of(c, h.state.language), "pick_category", c.id) for c in await _categories(h)]
    return Filled(values={"restaurant": restaurant.name}, choices=choices)


@picks("categories")
async def pick_category(h: Hopping, choice: Choice) -> Move:
    h.state.category_id = choice.value
    return Move("pick_category")


@fills("dishes")
async def dishes(h: Hopping) -> Filled:
    if h.state.category_id:
        category = await h.unit.session.get(MenuCategory, h.state.category_id)
        title = name_of(category, h.state.language)
    else:
        title = (await catalog.restaurant(h.unit, h.state.restaurant_id)).name
    choices = []
    for item in await catalog.dishes(h.unit, h.state.restaurant_id, h.state.category_id):
        label = f"{name_of(item, h.state.language)} {price(h, item.price_xaf)}"
        if not item.available:
            label = f"{name_of(item, h.state.language)} ({h.t(WORDS['sold_out'])})"
        choices.append(Choice(label, "pick_dish", item.id, refusal=None if item.available else "sold_out"))
    return Filled(values={"category": title}, choices=choices)


@picks("dishes")
async def pick_dish(h: Hopping, choice: Choice) -> Move:
    item = await catalog.dish(h.unit, choice.value, h.state.restaurant_id)
    h.state.item_id, h.state.group, h.state.picked = item.id, 0, []
    return Move("pick_dish", facts={"has_options": bool(item.option_groups)})


def _multi(group) -> bool:
    return group.max_choices > 1 or group.min_choices == 0


@fills("choice")
async def choice(h: Hopping) -> Filled:
    item = await catalog.dish(h.unit, h.state.item_id)
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
    item = await catalog.dish(h.unit, h.state.item_id)
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
    item = await catalog.dish(h.unit, h.state.item_id)
    return Filled(values={"dish": name_of(item, h.state.language), "price": amount(h, item.price_xaf)})


@types("quantity")
async def typed_quantity(h: Hopping, text: str) -> Move:
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUANTITY:
        return Move(None, hint="bad_quantity")
    options = [option for group in h.state.picked for option in group]
    h.state.lines.append([h.state.item_id, int(text), options])
    h.state.item_id, h.state.group, h.state.picked = None, 0, []
    return Move("set_quantity")
