"""The rules of a menu as its restaurant edits it, shared by the REST editing and the CSV import.

**Dish numbers.** A dish's `position` is its number in the SMS `MENU <n>` list, in `SOLDOUT <n>`
and on the USSD menu. Numbers run 1..N down the menu as it reads: categories in their order,
the dishes of each in theirs. So they stay dense, and a change moves as few as it can: a new
dish goes last in its category (only the dishes of later categories move up by one), a deleted
one moves the dishes after it down by one, a dish moved to another category goes last there;
renaming, repricing and availability never renumber. Reordering rewrites them as asked.

**Deleting keeps history.** Order lines (and carts) point at their dish by id, so a dish that
any of them names is archived rather than deleted: off the menu and off every list, its number
0, its row kept with its options. A category that still holds archived dishes is archived the
same way. The rest are deleted. A CSV import that names an archived dish again brings it back.

**Names.** Within a restaurant, no two dishes share a French or an English name, nor two
categories; within a dish no two option groups, within a group no two options (case aside):
the CSV import finds dishes by name, so the names must tell them apart.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import exists, select

from core.db import Unit
from core.errors import BadInput, NotFound
from core.models import CartLine, MenuCategory, MenuItem, MenuOption, OptionGroup, OrderLine, Restaurant

NAME_MAX, DESCRIPTION_MAX = 40, 160
PRICE_MIN_XAF, PRICE_MAX_XAF = 50, 1_000_000
DELTA_MAX_XAF = 100_000  # an option adds 0 to this much; a dish's price is that of its plainest form
CHOICES_MAX = 10  # most choices an option group allows
LAST = 10**6  # a position past any real one: "put it last", before renumbering


@dataclass(frozen=True)
class NewOption:
    name_fr: str
    name_en: str
    price_delta_xaf: int = 0
    available: bool = True


@dataclass(frozen=True)
class NewGroup:
    name_fr: str
    name_en: str
    min_choices: int
    max_choices: int
    options: tuple[NewOption, ...]


def name_problems(field: str, value: object) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{field}: a name is needed"]
    if len(value.strip()) > NAME_MAX:
        return [f"{field}: at most {NAME_MAX} characters"]
    if not value.isprintable():
        return [f"{field}: printable text only"]
    return []


def description_problems(field: str, value: str) -> list[str]:
    if len(value.strip()) > DESCRIPTION_MAX:
        return [f"{field}: at most {DESCRIPTION_MAX} characters"]
    return [] if value.isprintable() else [f"{field}: printable text only"]


def price_problems(field: str, value: int) -> list[str]:
    if not PRICE_MIN_XAF <= value <= PRICE_MAX_XAF:
        return [f"{field}: a price from {PRICE_MIN_XAF} to {PRICE_MAX_XAF} XAF"]
    return []


def delta_problems(field: str, value: int) -> list[str]:
    if not 0 <= value <= DELTA_MAX_XAF:
        return [f"{field}: from 0 to {DELTA_MAX_XAF} XAF"]
    return []


def choices_problems(prefix: str, min_choices: int, max_choices: int, options: int | None) -> list[str]:
    """min..max choices of a group with `options` options (None: not known yet)."""
    if not 1 <= max_choices <= CHOICES_MAX:
        return [f"{prefix}max_choices: from 1 to {CHOICES_MAX}"]
    if not 0 <= min_choices <= max_choices:
        return [f"{prefix}min_choices: from 0 to max_choices ({max_choices})"]
    if options is not None and min_choices > options:
        return [f"{prefix}min_choices: the group has only {options} options"]
    return []


def group_problems(group: NewGroup, prefix: str = "") -> list[str]:
    found = name_problems(f"{prefix}name_fr", group.name_fr) + name_problems(f"{prefix}name_en", group.name_en)
    found += choices_problems(prefix, group.min_choices, group.max_choices, len(group.options))
    if not group.options:
        found.append(f"{prefix}options: at least one")
    for n, option in enumerate(group.options):
        found += name_problems(f"{prefix}options.{n}.name_fr", option.name_fr)
        found += name_problems(f"{prefix}options.{n}.name_en", option.name_en)
        found += delta_problems(f"{prefix}options.{n}.price_delta_xaf", option.price_delta_xaf)
    found += clashes(f"{prefix}options", [(o.name_fr, o.name_en) for o in group.options])
    return found


def clashes(field: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """Names given twice in one list (French or English, case aside)."""
    seen: set[tuple[str, str]] = set()
    found = []
    for name_fr, name_en in names:
        for language, name in (("fr", name_fr), ("en", name_en)):
            key = (language, fold(name))
            if key in seen:
                found.append(f"{field}: {name!r} is named twice")
            seen.add(key)
    return found


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def refuse(problems: list[str]) -> None:
    if problems:
        raise BadInput("; ".join(problems))


def name_taken(rows: Iterable, name_fr: str | None, name_en: str | None, *, field: str, but=None) -> list[str]:
    """Names already used by another live row of the list (a category, a dish, a group, an option)."""
    found = []
    for row in rows:
        if row is but or getattr(row, "archived_at", None) is not None:
            continue
        if name_fr is not None and fold(row.name_fr) == fold(name_fr):
            found.append(f"{field}name_fr: {row.name_fr!r} is already on the menu")
        if name_en is not None and fold(row.name_en) == fold(name_en):
            found.append(f"{field}name_en: {row.name_en!r} is already on the menu")
    return found


@dataclass
class Menu:
    """A restaurant's whole menu as stored, archived rows included, for one edit."""

    restaurant: Restaurant
    categories: list[MenuCategory]
    items: list[MenuItem]

    @property
    def live_categories(self) -> list[MenuCategory]:
        return sorted((c for c in self.categories if c.archived_at is None), key=lambda c: (c.position, c.id or 0))

    @property
    def live_items(self) -> list[MenuItem]:
        return sorted((i for i in self.items if i.archived_at is None), key=lambda i: (i.position, i.id or 0))

    def category(self, category_id: int, field: str = "category_id") -> MenuCategory:
        found = next((c for c in self.categories if c.id == category_id and c.archived_at is None), None)
        if found is None:
            raise NotFound(f"{field}: no category {category_id} on this menu")
        return found

    def item(self, item_id: int) -> MenuItem:
        found = next((i for i in self.items if i.id == item_id and i.archived_at is None), None)
        if found is None:
            raise NotFound(f"no dish {item_id} on this menu")
        return found

    def group(self, group_id: int) -> tuple[MenuItem, OptionGroup]:
        for item in self.live_items:
            for group in item.option_groups:
                if group.id == group_id:
                    return item, group
        raise NotFound(f"no option group {group_id} on this menu")

    def option(self, option_id: int) -> tuple[OptionGroup, MenuOption]:
        for item in self.live_items:
            for group in item.option_groups:
                for option in group.options:
                    if option.id == option_id:
                        return group, option
        raise NotFound(f"no option {option_id} on this menu")

    def renumber(self) -> None:
        """Positions rewritten dense: categories 1..n, dishes 1..N down the menu (module docstring)."""
        categories = self.live_categories
        for n, category in enumerate(categories, 1):
            if category.position != n:
                category.position = n
        order = {c.id: n for n, c in enumerate(categories)}
        for n, item in enumerate(sorted(self.live_items, key=lambda i: (order[i.category_id], i.position, i.id or 0)), 1):
            if item.position != n:
                item.position = n


async def menu_of(unit: Unit, restaurant_id: int) -> Menu:
    """The restaurant's menu, its row locked for the edit (two editors renumber one at a time)."""
    restaurant = await unit.session.scalar(select(Restaurant).where(Restaurant.id == restaurant_id).with_for_update(of=Restaurant))
    if restaurant is None:
        raise NotFound(f"no restaurant {restaurant_id}")
    categories = await unit.session.scalars(select(MenuCategory).where(MenuCategory.restaurant_id == restaurant_id))
    items = await unit.session.scalars(select(MenuItem).where(MenuItem.restaurant_id == restaurant_id))
    return Menu(restaurant, list(categories), list(items))


def option_row(option: NewOption, position: int) -> MenuOption:
    return MenuOption(name_fr=option.name_fr.strip(), name_en=option.name_en.strip(), price_delta_xaf=option.price_delta_xaf,
                      available=option.available, position=position)


def group_row(group: NewGroup, position: int) -> OptionGroup:
    return OptionGroup(
        name_fr=group.name_fr.strip(), name_en=group.name_en.strip(), min_choices=group.min_choices,
        max_choices=group.max_choices, position=position,
        options=[option_row(o, n) for n, o in enumerate(group.options, 1)],
    )


async def is_named_by_orders(unit: Unit, item_id: int) -> bool:
    """Whether an order line or a cart line points at the dish."""
    named = select(exists().where(OrderLine.item_id == item_id)).scalar_subquery()
    in_cart = select(exists().where(CartLine.item_id == item_id)).scalar_subquery()
    return bool(await unit.session.scalar(select(named | in_cart)))


async def remove_item(unit: Unit, menu: Menu, item: MenuItem) -> bool:
    """The dish off the menu: archived when orders name it (True), else deleted. Renumber after."""
    if await is_named_by_orders(unit, item.id):
        item.archived_at, item.available, item.position = unit.now(), False, 0
        return True
    await unit.session.delete(item)
    menu.items.remove(item)
    return False


async def remove_category(unit: Unit, menu: Menu, category: MenuCategory) -> bool:
    """An empty category off the menu: archived while archived dishes are in it (True), else deleted."""
    if any(i.category_id == category.id for i in menu.items):
        category.archived_at, category.position = unit.now(), 0
        return True
    await unit.session.delete(category)
    menu.categories.remove(category)
    return False
