"""A whole menu as a CSV file, read and written with the standard library's csv module.

One row per option of a dish (one row for a dish without options), top to bottom as the menu
reads, so dish numbers follow the file; the dish's and its category's cells repeat on each of
its rows. Columns, in any order (`category_fr`, `dish_fr` and `price_xaf` are needed, the
others may be left out or blank):

    category_fr, category_en            the category; English blank: the French name
    dish_fr, dish_en                    the dish; English blank: the French name
    description_fr, description_en      up to 160 characters
    price_xaf                           whole francs, 50 to 1 000 000 (spaces between thousands allowed)
    available                           yes/no (oui/non, 1/0, true/false); blank: yes
    group_fr, group_en                  an option group (a size, extras); blank: no option on this row
    group_min, group_max                how many of its options are chosen; blank: 0 and 1
    option_fr, option_en                the option
    option_delta_xaf                    what it adds to the price, 0 to 100 000; blank: 0
    option_available                    yes/no; blank: yes

UTF-8 with or without a byte-order mark; comma, semicolon (what Excel writes in French) or tab
between cells, told from the header row. Rows are numbered as a spreadsheet shows them: the
header is row 1. Reading checks every row and raises one BadInput naming each row and column at
fault; a file it accepts is a `Sheet`, ready to replace the menu.
"""
import csv
import io
from dataclasses import dataclass, field

from core import menu_editing as rules
from core.errors import BadInput

COLUMNS = (
    "category_fr", "category_en", "dish_fr", "dish_en", "description_fr", "description_en", "price_xaf", "available",
    "group_fr", "group_en", "group_min", "group_max", "option_fr", "option_en", "option_delta_xaf", "option_available",
)
REQUIRED = ("category_fr", "dish_fr", "price_xaf")
MAX_ROWS = 2_000
SHOWN_PROBLEMS = 20
BOM = "\ufeff"
YES, NO = frozenset({"yes", "y", "oui", "o", "1", "true", "vrai"}), frozenset({"no", "n", "non", "0", "false", "faux"})
SEPARATORS = {"comma": ",", "semicolon": ";"}
GROUP_COLUMNS = {"min_choices": "group_min", "max_choices": "group_max"}


@dataclass
class SheetOption:
    name_fr: str
    name_en: str
    price_delta_xaf: int
    available: bool


@dataclass
class SheetGroup:
    name_fr: str
    name_en: str
    min_choices: int
    max_choices: int
    row: int
    options: list[SheetOption] = field(default_factory=list)


@dataclass
class SheetDish:
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    price_xaf: int
    available: bool
    row: int
    groups: list[SheetGroup] = field(default_factory=list)
    plain: bool = False  # given on a row without options


@dataclass
class SheetCategory:
    name_fr: str
    name_en: str
    row: int
    dishes: list[SheetDish] = field(default_factory=list)


@dataclass
class Sheet:
    categories: list[SheetCategory]

    @property
    def dishes(self) -> list[SheetDish]:
        return [d for c in self.categories for d in c.dishes]


class _Rows:
    """The problems found, by row and column."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(f"row {row} {column}: {message}")

    def refuse(self) -> None:
        if self.problems:
            shown = self.problems[:SHOWN_PROBLEMS]
            more = len(self.problems) - len(shown)
            raise BadInput("; ".join(shown) + (f"; and {more} more" if more else ""))


def decode(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("the file is not UTF-8 text: save it as CSV UTF-8") from None
    return text.removeprefix(BOM)


def _separator(header_line: str) -> str:
    return max((",", ";", "\t"), key=header_line.count)


def _whole(text: str) -> int | None:
    digits = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else None


def _flag(found: _Rows, row: int, column: str, text: str) -> bool:
    value = text.strip().casefold()
    if not value or value in YES:
        return True
    if value in NO:
        return False
    found.add(row, column, f"yes or no, not {text[:20]!r}")
    return True


def _number(found: _Rows, row: int, column: str, text: str, low: int, high: int, default: int | None) -> int:
    if not text.strip() and default is not None:
        return default
    value = _whole(text)
    if value is None or not low <= value <= high:
        found.add(row, column, f"a whole number from {low} to {high}" + ("" if text.strip() else ", needed"))
        return default if default is not None else low
    return value


def _name(found: _Rows, row: int, column: str, text: str, fallback: str = "") -> str:
    value = " ".join(text.split()) or fallback
    for problem in rules.name_problems(column, value):
        found.add(row, column, problem.split(": ", 1)[1])
    return value


def read(body: bytes) -> Sheet:
    """The menu a CSV file describes; BadInput listing every row and column at fault."""
    text = decode(body)
    if not text.strip():
        raise BadInput("the file is empty: send a header row, then a row per dish or option")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text.splitlines()[0]))
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise BadInput(f"row {reader.line_num}: {exc}") from None
    header = [cell.strip().removeprefix(BOM).casefold() for cell in lines[0]]
    while header and not header[-1]:
        header.pop()
    found = _Rows()
    for n, name in enumerate(header):
        if name not in COLUMNS:
            found.add(1, name or f"column {n + 1}", f"not a column of a menu; the columns are {', '.join(COLUMNS)}")
        elif header.index(name) != n:
            found.add(1, name, "named twice")
    for name in REQUIRED:
        if name not in header:
            found.add(1, name, "this column is needed")
    found.refuse()
    if len(lines) - 1 > MAX_ROWS:
        raise BadInput(f"at most {MAX_ROWS} rows after the header")
    sheet = _Builder(found)
    for row, cells in enumerate(lines[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave blank rows at the end
        if any(cell.strip() for cell in cells[len(header):]):
            found.add(row, f"column {len(header) + 1}", "a cell beyond the named columns")
        sheet.take(row, {name: (cells[n] if n < len(cells) else "") for n, name in enumerate(header)})
    if not sheet.dishes:
        raise BadInput("the file names no dish: a menu needs at least one")
    sheet.finish()
    found.refuse()
    return Sheet(sheet.categories)


class _Builder:
    """Rows gathered into categories, dishes, groups and options, checked as they come."""

    def __init__(self, found: _Rows) -> None:
        self.found = found
        self.categories: list[SheetCategory] = []
        self.by_category: dict[str, SheetCategory] = {}
        self.dishes: dict[str, tuple[SheetDish, str]] = {}  # by folded French name: the dish, its category's key

    def take(self, row: int, cell: dict[str, str]) -> None:
        f = self.found
        category_fr = _name(f, row, "category_fr", cell.get("category_fr", ""))
        category_en = _name(f, row, "category_en", cell.get("category_en", ""), category_fr)
        dish_fr = _name(f, row, "dish_fr", cell.get("dish_fr", ""))
        dish = SheetDish(
            name_fr=dish_fr, name_en=_name(f, row, "dish_en", cell.get("dish_en", ""), dish_fr),
            description_fr=" ".join(cell.get("description_fr", "").split()),
            description_en=" ".join(cell.get("description_en", "").split()),
            price_xaf=_number(f, row, "price_xaf", cell.get("price_xaf", ""), rules.PRICE_MIN_XAF, rules.PRICE_MAX_XAF, None),
            available=_flag(f, row, "available", cell.get("available", "")), row=row,
        )
        for column in ("description_fr", "description_en"):
            for problem in rules.description_problems(column, getattr(dish, column)):
                f.add(row, column, problem.split(": ", 1)[1])
        category = self._category(row, category_fr, category_en)
        dish = self._dish(row, category, dish)
        self._option(row, dish, cell)

    def _category(self, row: int, name_fr: str, name_en: str) -> SheetCategory:
        key = rules.fold(name_fr)
        category = self.by_category.get(key)
        if category is None:
            category = self.by_category[key] = SheetCategory(name_fr, name_en, row)
            self.categories.append(category)
        elif rules.fold(category.name_en) != rules.fold(name_en):
            self.found.add(row, "category_en", f"{name_en!r}, but row {category.row} calls this category {category.name_en!r}")
        return category

    def _dish(self, row: int, category: SheetCategory, dish: SheetDish) -> SheetDish:
        key = rules.fold(dish.name_fr)
        known = self.dishes.get(key)
        if known is None:
            self.dishes[key] = (dish, rules.fold(category.name_fr))
            category.dishes.append(dish)
            return dish
        first, category_key = known
        if category_key != rules.fold(category.name_fr):
            self.found.add(row, "category_fr", f"{category.name_fr!r}, but row {first.row} puts this dish in another category")
        for column in ("name_en", "description_fr", "description_en", "price_xaf", "available"):
            if getattr(first, column) != getattr(dish, column):
                shown = "dish_en" if column == "name_en" else column
                self.found.add(row, shown, f"differs from row {first.row}, for the same dish")
        return first

    def _option(self, row: int, dish: SheetDish, cell: dict[str, str]) -> None:
        f = self.found
        option_columns = ("group_en", "group_min", "group_max", "option_fr", "option_en", "option_delta_xaf", "option_available")
        if not cell.get("group_fr", "").strip():
            for column in option_columns:
                if cell.get(column, "").strip():
                    f.add(row, column, "given without group_fr: name the option's group")
            if dish.groups or (dish.plain and dish.row != row):
                f.add(row, "group_fr", f"the dish of row {dish.row} is given again: a dish with options has one row per option")
            dish.plain = True
            return
        if dish.plain:
            f.add(row, "group_fr", f"row {dish.row} gives this dish without options: give it one row per option")
        group_fr = _name(f, row, "group_fr", cell["group_fr"])
        group = SheetGroup(
            name_fr=group_fr, name_en=_name(f, row, "group_en", cell.get("group_en", ""), group_fr),
            min_choices=_number(f, row, "group_min", cell.get("group_min", ""), 0, rules.CHOICES_MAX, 0),
            max_choices=_number(f, row, "group_max", cell.get("group_max", ""), 1, rules.CHOICES_MAX, 1), row=row,
        )
        same = next((g for g in dish.groups if rules.fold(g.name_fr) == rules.fold(group.name_fr)), None)
        if same is None:
            dish.groups.append(group)
        else:
            for column, attribute in (("group_en", "name_en"), ("group_min", "min_choices"), ("group_max", "max_choices")):
                if getattr(same, attribute) != getattr(group, attribute):
                    f.add(row, column, f"differs from row {same.row}, for the same group")
            group = same
        option_fr = _name(f, row, "option_fr", cell.get("option_fr", ""))
        option = SheetOption(
            name_fr=option_fr, name_en=_name(f, row, "option_en", cell.get("option_en", ""), option_fr),
            price_delta_xaf=_number(f, row, "option_delta_xaf", cell.get("option_delta_xaf", ""), 0, rules.DELTA_MAX_XAF, 0),
            available=_flag(f, row, "option_available", cell.get("option_available", "")),
        )
        for other in group.options:
            for column, attribute in (("option_fr", "name_fr"), ("option_en", "name_en")):
                if rules.fold(getattr(other, attribute)) == rules.fold(getattr(option, attribute)):
                    f.add(row, column, f"{getattr(option, attribute)!r} is already an option of this group")
        group.options.append(option)

    def finish(self) -> None:
        """What only the whole file tells: English names used twice, groups' choices against their options."""
        f = self.found
        seen: dict[str, int] = {}
        for category in self.categories:
            key = rules.fold(category.name_en)
            if key in seen:
                f.add(category.row, "category_en", f"{category.name_en!r} is also the category of row {seen[key]}")
            seen.setdefault(key, category.row)
        seen = {}
        for category in self.categories:
            for dish in category.dishes:
                key = rules.fold(dish.name_en)
                if key in seen:
                    f.add(dish.row, "dish_en", f"{dish.name_en!r} is also the dish of row {seen[key]}")
                seen.setdefault(key, dish.row)
                groups: dict[str, int] = {}
                for group in dish.groups:
                    key = rules.fold(group.name_en)
                    if key in groups:
                        f.add(group.row, "group_en", f"{group.name_en!r} is also the group of row {groups[key]}")
                    groups.setdefault(key, group.row)
                    for problem in rules.choices_problems("", group.min_choices, group.max_choices, len(group.options)):
                        column, message = problem.split(": ", 1)
                        f.add(group.row, GROUP_COLUMNS[column], message)


def write(rows: list[dict[str, object]], separator: str = ",") -> str:
    """Rows (dicts of COLUMNS) as a CSV file Excel opens as UTF-8: a byte-order mark, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column, "")) for column in COLUMNS])
    return BOM + out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
