"""A customer's SMS FIND/CHERCHER <dish>: the dishes found at restaurants open now, numbered as
MENU numbers them, so `ORDER <restaurant> <dish>` and `MENU <restaurant>` go on from the reply.

The restaurants of the reply become the customer's last list (what MENU keeps), in the order
shown; each dish shows its number on its restaurant's menu. As many as fit one GSM-7 segment.
"""
from collections.abc import Callable
from datetime import datetime

from core.catalog import Catalog
from core.errors import BadInput
from core.formatting import gsm7_safe, money, sms_segments
from core.models import Quarter
from core.use_cases import searching
from menus import sms_texts as T


def answer(catalog: Catalog, typed: str, *, near: Quarter | None, at: datetime, tz: str, lang: str,
           t: Callable[..., str], most: int) -> tuple[str, list[int]]:
    """The reply, and the restaurants it numbers (at most `most`; none when it lists nothing)."""
    try:
        found = searching.find_dishes(catalog, typed, at=at, tz=tz, near=near)
    except BadInput:
        return t(T.FIND_HOW), []
    if not found:
        return t(T.FIND_NONE, text=typed.capitalize()), []
    open_now = [f for f in found if f.open_now]
    if not open_now:
        return t(T.FIND_CLOSED, text=typed.capitalize()), []
    names = {f.restaurant_id: f.restaurant for f in open_now}
    groups: dict[int, list[searching.Found]] = {}
    reply = ""
    for f in open_now:
        if f.restaurant_id not in groups and len(groups) == most:
            continue
        tried = {r: list(dishes) for r, dishes in groups.items()}
        tried.setdefault(f.restaurant_id, []).append(f)
        text = _reply(tried, names, lang, t)
        if not reply or sms_segments(gsm7_safe(text)) == ("gsm7", 1):
            groups, reply = tried, text  # else a shorter one further down may still fit
    return reply, list(groups)


def _reply(groups: dict[int, list[searching.Found]], names: dict[int, str], lang: str, t: Callable[..., str]) -> str:
    def dish(f: searching.Found) -> str:
        return f"{f.number} {f.name_fr if lang == 'fr' else f.name_en} {money(f.price_xaf, lang).removesuffix(' FCFA')}"

    listed = "; ".join(f"{n} {names[r]}: {', '.join(dish(f) for f in dishes)}" for n, (r, dishes) in enumerate(groups.items(), 1))
    first = next(iter(groups.values()))[0]
    return t(T.FOUND, list=listed, number=f"1 {first.number}")
