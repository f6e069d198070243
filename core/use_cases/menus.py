"""A restaurant's owner or manager editing its menu: categories, dishes, option groups and
options created, changed, reordered and deleted, and the whole menu read, as the restaurant
sees it (sold-out dishes included). The rules (dish numbers, archiving, names) are
`core.menu_editing`'s. Every change is audited on the restaurant, and the commit bumps the
catalog's version, so every process shows it within seconds (`core.catalog_versions`).
"""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core import audit
from core import menu_editing as rules
from core.db import Units
from core.errors import BadInput, Conflict
from core.menu_editing import LAST, Menu, NewGroup, NewOption
from core.models import MenuCategory, MenuItem, MenuOption, OptionGroup


@dataclass(frozen=True)
class OptionView:
    id: int
    name_fr: str
    name_en: str
    price_delta_xaf: int
    available: bool


@dataclass(frozen=True)
class GroupView:
    id: int
    name_fr: str
    name_en: str
    min_choices: int
    max_choices: int
    options: tuple[OptionView, ...]


@dataclass(frozen=True)
class DishView:
    id: int
    number: int  # its number on the SMS and USSD menus
    category_id: int
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    price_xaf: int
    available: bool
    option_groups: tuple[GroupView, ...]


@dataclass(frozen=True)
class CategoryView:
    id: int
    name_fr: str
    name_en: str
    position: int
    dishes: tuple[DishView, ...]


@dataclass(frozen=True)
class MenuView:
    restaurant_id: int
    categories: tuple[CategoryView, ...]


def option_view(o: MenuOption) -> OptionView:
    return OptionView(o.id, o.name_fr, o.name_en, o.price_delta_xaf, o.available)


def group_view(g: OptionGroup) -> GroupView:
    return GroupView(g.id, g.name_fr, g.name_en, g.min_choices, g.max_choices, tuple(option_view(o) for o in g.options))


def dish_view(i: MenuItem) -> DishView:
    return DishView(i.id, i.position, i.category_id, i.name_fr, i.name_en, i.description_fr, i.description_en, i.price_xaf,
                    i.available, tuple(group_view(g) for g in i.option_groups))


def menu_view(menu: Menu) -> MenuView:
    items = menu.live_items
    return MenuView(menu.restaurant.id, tuple(
        CategoryView(c.id, c.name_fr, c.name_en, c.position, tuple(dish_view(i) for i in items if i.category_id == c.id))
        for c in menu.live_categories
    ))


def _category_view(menu: Menu, category: MenuCategory) -> CategoryView:
    return next(c for c in menu_view(menu).categories if c.id == category.id)


def _record(unit, menu: Menu, trigger: str, actor: str, **data: Any) -> None:
    audit.record(unit, "restaurant", str(menu.restaurant.id), trigger, actor=actor, data=data)


async def menu(units: Units, restaurant_id: int) -> MenuView:
    async with units.unit() as unit:
        return menu_view(await rules.menu_of(unit, restaurant_id))


async def add_category(units: Units, restaurant_id: int, *, name_fr: str, name_en: str, actor: str) -> CategoryView:
    """A new category, last on the menu; it shows to customers once it holds a dish."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        rules.refuse(rules.name_problems("name_fr", name_fr) + rules.name_problems("name_en", name_en)
                     or rules.name_taken(menu.live_categories, name_fr, name_en, field=""))
        category = MenuCategory(restaurant_id=restaurant_id, name_fr=name_fr.strip(), name_en=name_en.strip(), position=LAST)
        unit.session.add(category)
        menu.categories.append(category)
        menu.renumber()
        await unit.session.flush()
        _record(unit, menu, "category_added", actor, category=category.id, name_fr=category.name_fr)
        return _category_view(menu, category)


async def change_category(units: Units, restaurant_id: int, category_id: int, *, actor: str, name_fr: str | None = None,
                          name_en: str | None = None) -> CategoryView:
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        category = menu.category(category_id, "category")
        problems = [p for field, v in (("name_fr", name_fr), ("name_en", name_en)) if v is not None
                    for p in rules.name_problems(field, v)]
        rules.refuse(problems or rules.name_taken(menu.live_categories, name_fr, name_en, field="", but=category))
        before = {"name_fr": category.name_fr, "name_en": category.name_en}
        if name_fr is not None:
            category.name_fr = name_fr.strip()
        if name_en is not None:
            category.name_en = name_en.strip()
        _record(unit, menu, "category_changed", actor, category=category.id, before=before)
        return _category_view(menu, category)


async def delete_category(units: Units, restaurant_id: int, category_id: int, *, actor: str) -> None:
    """An empty category deleted (archived while archived dishes are in it); one with dishes is refused."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        category = menu.category(category_id, "category")
        held = [i for i in menu.live_items if i.category_id == category.id]
        if held:
            raise Conflict(f"category {category.name_en!r} holds {len(held)} dishes: delete or move them first")
        archived = await rules.remove_category(unit, menu, category)
        menu.renumber()
        _record(unit, menu, "category_deleted", actor, category=category_id, archived=archived)


async def reorder(units: Units, restaurant_id: int, layout: Sequence[tuple[int, Sequence[int]]], *, actor: str) -> MenuView:
    """The menu laid out again: every category once, in order, each with every one of its dishes
    (a dish may move to another category); dish numbers are rewritten down the new order."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        categories, items = menu.live_categories, menu.live_items
        named_categories = [c for c, _ in layout]
        named_items = [i for _, dishes in layout for i in dishes]
        if sorted(named_categories) != sorted(c.id for c in categories):
            raise BadInput("categories: name every category of the menu once, and no other")
        if sorted(named_items) != sorted(i.id for i in items):
            raise BadInput("categories.dish_ids: name every dish of the menu once, and no other")
        by_id = {i.id: i for i in items}
        before = [i.id for i in items]
        for c_position, (category_id, dishes) in enumerate(layout, 1):
            menu.category(category_id).position = c_position
            for d_position, item_id in enumerate(dishes, 1):
                by_id[item_id].category_id, by_id[item_id].position = category_id, d_position
        menu.renumber()
        _record(unit, menu, "menu_reordered", actor, before=before, after=[i.id for i in menu.live_items])
        return menu_view(menu)


async def add_dish(units: Units, restaurant_id: int, *, category_id: int, name_fr: str, name_en: str, price_xaf: int,
                   actor: str, description_fr: str = "", description_en: str = "", available: bool = True,
                   option_groups: Sequence[NewGroup] = ()) -> DishView:
    """A new dish, last in its category (the dishes of later categories move up one number)."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        category = menu.category(category_id)
        problems = (rules.name_problems("name_fr", name_fr) + rules.name_problems("name_en", name_en)
                    + rules.description_problems("description_fr", description_fr)
                    + rules.description_problems("description_en", description_en)
                    + rules.price_problems("price_xaf", price_xaf)
                    + rules.clashes("option_groups", [(g.name_fr, g.name_en) for g in option_groups]))
        for n, group in enumerate(option_groups):
            problems += rules.group_problems(group, f"option_groups.{n}.")
        rules.refuse(problems or rules.name_taken(menu.live_items, name_fr, name_en, field=""))
        item = MenuItem(
            restaurant_id=restaurant_id, category_id=category.id, name_fr=name_fr.strip(), name_en=name_en.strip(),
            description_fr=description_fr.strip(), description_en=description_en.strip(), price_xaf=price_xaf,
            available=available, position=LAST,
            option_groups=[rules.group_row(g, n) for n, g in enumerate(option_groups, 1)],
        )
        unit.session.add(item)
        menu.items.append(item)
        menu.renumber()
        await unit.session.flush()
        _record(unit, menu, "dish_added", actor, dish=item.id, number=item.position, name_fr=item.name_fr,
                price_xaf=item.price_xaf)
        return dish_view(item)


DISH_FIELDS = ("category_id", "name_fr", "name_en", "description_fr", "description_en", "price_xaf", "available")


async def change_dish(units: Units, restaurant_id: int, item_id: int, changes: dict[str, Any], *, actor: str) -> DishView:
    """Any of DISH_FIELDS changed; a dish moved to another category goes last there."""
    unknown = set(changes) - set(DISH_FIELDS)
    if unknown or not changes:
        raise BadInput(f"send any of {', '.join(DISH_FIELDS)}")
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item = menu.item(item_id)
        problems = []
        for field in ("name_fr", "name_en"):
            if field in changes:
                problems += rules.name_problems(field, changes[field])
        for field in ("description_fr", "description_en"):
            if field in changes:
                problems += rules.description_problems(field, changes[field])
        if "price_xaf" in changes:
            problems += rules.price_problems("price_xaf", changes["price_xaf"])
        rules.refuse(problems or rules.name_taken(menu.live_items, changes.get("name_fr"), changes.get("name_en"),
                                                  field="", but=item))
        before = {}
        if "category_id" in changes and changes["category_id"] != item.category_id:
            before["category_id"] = item.category_id
            item.category_id, item.position = menu.category(changes["category_id"]).id, LAST
        for field in DISH_FIELDS[1:]:
            if field in changes:
                value = changes[field].strip() if isinstance(changes[field], str) else changes[field]
                if value != getattr(item, field):
                    before[field] = getattr(item, field)
                    setattr(item, field, value)
        menu.renumber()
        if before:
            _record(unit, menu, "dish_changed", actor, dish=item.id, before=before)
        return dish_view(item)


async def delete_dish(units: Units, restaurant_id: int, item_id: int, *, actor: str) -> bool:
    """The dish off the menu; the dishes after it move down one number. True when it was archived
    (past orders or carts name it) rather than deleted."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item = menu.item(item_id)
        number, name = item.position, item.name_fr
        archived = await rules.remove_item(unit, menu, item)
        menu.renumber()
        _record(unit, menu, "dish_deleted", actor, dish=item_id, number=number, name_fr=name, archived=archived)
        return archived


async def add_group(units: Units, restaurant_id: int, item_id: int, group: NewGroup, *, actor: str) -> GroupView:
    """An option group (sizes, extras), last of the dish's, with its options."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item = menu.item(item_id)
        rules.refuse(rules.group_problems(group) or rules.name_taken(item.option_groups, group.name_fr, group.name_en, field=""))
        row = rules.group_row(group, max((g.position for g in item.option_groups), default=0) + 1)
        item.option_groups.append(row)
        await unit.session.flush()
        _record(unit, menu, "option_group_added", actor, dish=item.id, group=row.id, name_fr=row.name_fr)
        return group_view(row)


async def change_group(units: Units, restaurant_id: int, group_id: int, *, actor: str, name_fr: str | None = None,
                       name_en: str | None = None, min_choices: int | None = None, max_choices: int | None = None) -> GroupView:
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item, group = menu.group(group_id)
        low = group.min_choices if min_choices is None else min_choices
        high = group.max_choices if max_choices is None else max_choices
        problems = [p for field, v in (("name_fr", name_fr), ("name_en", name_en)) if v is not None
                    for p in rules.name_problems(field, v)]
        problems += rules.choices_problems("", low, high, len(group.options))
        rules.refuse(problems or rules.name_taken(item.option_groups, name_fr, name_en, field="", but=group))
        before = {"name_fr": group.name_fr, "name_en": group.name_en, "min_choices": group.min_choices,
                  "max_choices": group.max_choices}
        group.name_fr = name_fr.strip() if name_fr is not None else group.name_fr
        group.name_en = name_en.strip() if name_en is not None else group.name_en
        group.min_choices, group.max_choices = low, high
        _record(unit, menu, "option_group_changed", actor, dish=item.id, group=group.id, before=before)
        return group_view(group)


async def delete_group(units: Units, restaurant_id: int, group_id: int, *, actor: str) -> None:
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item, group = menu.group(group_id)
        item.option_groups.remove(group)
        _record(unit, menu, "option_group_deleted", actor, dish=item.id, group=group_id, name_fr=group.name_fr)


async def add_option(units: Units, restaurant_id: int, group_id: int, option: NewOption, *, actor: str) -> OptionView:
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        item, group = menu.group(group_id)
        problems = (rules.name_problems("name_fr", option.name_fr) + rules.name_problems("name_en", option.name_en)
                    + rules.delta_problems("price_delta_xaf", option.price_delta_xaf))
        rules.refuse(problems or rules.name_taken(group.options, option.name_fr, option.name_en, field=""))
        row = rules.option_row(option, max((o.position for o in group.options), default=0) + 1)
        group.options.append(row)
        await unit.session.flush()
        _record(unit, menu, "option_added", actor, dish=item.id, group=group.id, option=row.id, name_fr=row.name_fr)
        return option_view(row)


OPTION_FIELDS = ("name_fr", "name_en", "price_delta_xaf", "available")


async def change_option(units: Units, restaurant_id: int, option_id: int, changes: dict[str, Any], *, actor: str) -> OptionView:
    unknown = set(changes) - set(OPTION_FIELDS)
    if unknown or not changes:
        raise BadInput(f"send any of {', '.join(OPTION_FIELDS)}")
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        group, option = menu.option(option_id)
        problems = [p for field in ("name_fr", "name_en") if field in changes for p in rules.name_problems(field, changes[field])]
        if "price_delta_xaf" in changes:
            problems += rules.delta_problems("price_delta_xaf", changes["price_delta_xaf"])
        rules.refuse(problems or rules.name_taken(group.options, changes.get("name_fr"), changes.get("name_en"),
                                                  field="", but=option))
        before = {}
        for field in OPTION_FIELDS:
            if field in changes:
                value = changes[field].strip() if isinstance(changes[field], str) else changes[field]
                if value != getattr(option, field):
                    before[field] = getattr(option, field)
                    setattr(option, field, value)
        if before:
            _record(unit, menu, "option_changed", actor, group=group.id, option=option.id, before=before)
        return option_view(option)


async def delete_option(units: Units, restaurant_id: int, option_id: int, *, actor: str) -> None:
    """An option deleted; the last of its group, or one its group's minimum needs, is refused."""
    async with units.unit() as unit:
        menu = await rules.menu_of(unit, restaurant_id)
        group, option = menu.option(option_id)
        if len(group.options) == 1:
            raise Conflict("the last option of a group: delete the group instead")
        if group.min_choices > len(group.options) - 1:
            raise Conflict(f"the group needs {group.min_choices} options: lower its min_choices first")
        group.options.remove(option)
        _record(unit, menu, "option_deleted", actor, group=group.id, option=option_id, name_fr=option.name_fr)
