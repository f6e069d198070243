"""A restaurant's whole menu exported as CSV, and replaced by one (`core.menu_csv` has the layout).

An import is checked whole before anything changes; then it replaces the menu in one
transaction. What it names is found by name, so ids, past orders and carts stay linked: a
category by its French name (else its English one), a dish likewise across the restaurant
(an archived dish named again comes back), an option group within its dish, an option within
its group. Whatever the file does not name goes, as a deletion from the REST API would
(`core.menu_editing`: archived when past orders name it). Dish numbers follow the file. An
export imported again changes nothing and exports the same file.
"""
from dataclasses import dataclass

from core import audit, menu_csv
from core import menu_editing as rules
from core.db import Unit, Units
from core.menu_csv import Sheet, SheetDish, SheetGroup
from core.menu_editing import Menu
from core.models import MenuCategory, MenuItem, MenuOption, OptionGroup


@dataclass(frozen=True)
class Imported:
    categories: int
    dishes: int
    added: int  # dishes new to the menu (or brought back from the archive)
    removed: int  # dishes the file no longer names, deleted or archived
    archived: int  # of those, kept because past orders name them


async def export(units: Units, restaurant_id: int, separator: str = ",") -> str:
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        rows = []
        items = menu.live_items
        for category in menu.live_categories:
            for item in (i for i in items if i.category_id == category.id):
                dish = {
                    "category_fr": category.name_fr, "category_en": category.name_en, "dish_fr": item.name_fr,
                    "dish_en": item.name_en, "description_fr": item.description_fr, "description_en": item.description_en,
                    "price_xaf": item.price_xaf, "available": item.available,
                }
                options = [(g, o) for g in item.option_groups for o in g.options]
                if not options:
                    rows.append(dish)
                for group, option in options:
                    rows.append({
                        **dish, "group_fr": group.name_fr, "group_en": group.name_en, "group_min": group.min_choices,
                        "group_max": group.max_choices, "option_fr": option.name_fr, "option_en": option.name_en,
                        "option_delta_xaf": option.price_delta_xaf, "option_available": option.available,
                    })
        return menu_csv.write(rows, separator)


async def replace(units: Units, restaurant_id: int, body: bytes, *, actor: str) -> Imported:
    """The menu becomes what the file says, or nothing changes (BadInput naming rows and columns)."""
    sheet = menu_csv.read(body)
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        done = await _apply(unit, menu, sheet)
        audit.record(unit, "restaurant", str(restaurant_id), "menu_imported", actor=actor, data={
            "categories": done.categories, "dishes": done.dishes, "added": done.added, "removed": done.removed,
            "archived": done.archived,
        })
        return done


def _matches(wanted: list, rows: list) -> dict[int, object]:
    """Which stored row each wanted one is (by position in `wanted`): French names first, then
    English ones among the rest; live rows before archived ones; each row once."""
    found: dict[int, object] = {}
    taken: set[int] = set()
    ordered = sorted(rows, key=lambda r: getattr(r, "archived_at", None) is not None)
    for language in ("name_fr", "name_en"):
        for n, want in enumerate(wanted):
            if n in found:
                continue
            key = rules.fold(getattr(want, language))
            row = next((r for r in ordered if id(r) not in taken and rules.fold(getattr(r, language)) == key), None)
            if row is not None:
                found[n] = row
                taken.add(id(row))
    return found


async def _apply(unit: Unit, menu: Menu, sheet: Sheet) -> Imported:
    categories = _matches(sheet.categories, menu.categories)
    for n, wanted in enumerate(sheet.categories):
        category = categories.get(n)
        if category is None:
            category = categories[n] = MenuCategory(restaurant_id=menu.restaurant.id)
            unit.session.add(category)
            menu.categories.append(category)
        category.name_fr, category.name_en, category.position, category.archived_at = wanted.name_fr, wanted.name_en, n + 1, None
    await unit.session.flush()  # the new categories' ids, for their dishes

    wanted_dishes = [(n, d) for n, c in enumerate(sheet.categories) for d in c.dishes]
    items = _matches([d for _, d in wanted_dishes], menu.items)
    live_before = {i.id for i in menu.live_items}
    added, kept = 0, set()
    for number, (c_index, wanted) in enumerate(wanted_dishes, 1):
        item = items.get(number - 1)
        if item is None:
            item = MenuItem(restaurant_id=menu.restaurant.id, option_groups=[])
            unit.session.add(item)
            menu.items.append(item)
        if item.id not in live_before:
            added += 1
        kept.add(id(item))
        _dish(item, wanted, categories[c_index].id, number)
    await unit.session.flush()
    removed = archived = 0
    for item in [i for i in menu.live_items if id(i) not in kept]:
        removed += 1
        archived += await rules.remove_item(unit, menu, item)
    for category in [c for c in menu.live_categories if c not in categories.values()]:
        await rules.remove_category(unit, menu, category)
    menu.renumber()
    return Imported(len(sheet.categories), len(wanted_dishes), added, removed, archived)


def _dish(item: MenuItem, wanted: SheetDish, category_id: int, number: int) -> None:
    item.category_id, item.position, item.archived_at = category_id, number, None
    for column in ("name_fr", "name_en", "description_fr", "description_en", "price_xaf", "available"):
        if getattr(item, column) != getattr(wanted, column):
            setattr(item, column, getattr(wanted, column))
    groups = _matches(wanted.groups, item.option_groups)
    for gone in [g for g in item.option_groups if g not in groups.values()]:
        item.option_groups.remove(gone)
    for n, group_wanted in enumerate(wanted.groups):
        group = groups.get(n)
        if group is None:
            group = OptionGroup(options=[])
            item.option_groups.append(group)
        _group(group, group_wanted, n + 1)
    item.option_groups.sort(key=lambda g: g.position)


def _group(group: OptionGroup, wanted: SheetGroup, position: int) -> None:
    group.name_fr, group.name_en, group.position = wanted.name_fr, wanted.name_en, position
    group.min_choices, group.max_choices = wanted.min_choices, wanted.max_choices
    options = _matches(wanted.options, group.options)
    for gone in [o for o in group.options if o not in options.values()]:
        group.options.remove(gone)
    for n, option_wanted in enumerate(wanted.options):
        option = options.get(n)
        if option is None:
            option = MenuOption()
            group.options.append(option)
        option.name_fr, option.name_en, option.position = option_wanted.name_fr, option_wanted.name_en, n + 1
        option.price_delta_xaf, option.available = option_wanted.price_delta_xaf, option_wanted.available
    group.options.sort(key=lambda o: o.position)
