"""Marking a restaurant or a dish as a favourite from where it is shown, and what the session
knows of the caller's favourites.

The session reads the caller's favourites once, when it begins (`learn_favourites`), and keeps
them in `state.known["fav"]` as `[restaurant id, dish id or 0]`, newest first: browsing hops
then show "Add to" or "Remove from favourites" without the database, and the catalog screens
that carry the line stay cached per catalog version (their cache key says which it shows).
"""
from core.errors import BadInput
from core.use_cases import favourites
from menus.choices import Move
from menus.hopping import Hopping
from menus.screen import N_

KNOWN = "fav"
FAVOURITE_KEY = "99"  # on a dish's screen, which asks for a number (1-20), this key marks it
LABELS = {False: N_("Add to favourites"), True: N_("Remove from favourites")}


async def learn_favourites(h: Hopping) -> None:
    """Once per session, for a caller we know: their favourites, kept in the session."""
    if h.account_id is not None:
        found = await favourites.favourites_of(h.unit, h.account_id)
        h.state.known[KNOWN] = [[f.restaurant_id, f.item_id or 0] for f in found]


def is_favourite(h: Hopping, restaurant_id: int | None, item_id: int | None = None) -> bool:
    return [restaurant_id, item_id or 0] in h.state.known.get(KNOWN, [])


def mark_line(h: Hopping, restaurant_id: int | None, item_id: int | None = None) -> str:
    """"Add to favourites" or "Remove from favourites", as it stands for this session."""
    return h.t(LABELS[is_favourite(h, restaurant_id, item_id)])


async def toggle(h: Hopping, restaurant_id: int | None, item_id: int | None = None) -> Move:
    """Marks the restaurant (or dish) a favourite, or unmarks it; the screen stays, with a hint."""
    mine = h.state.known.setdefault(KNOWN, [])
    key = [restaurant_id, item_id or 0]
    if key in mine:
        await favourites.unmark(h.unit, h.account_id, restaurant_id=restaurant_id, item_id=item_id)
        mine.remove(key)
        return Move(None, hint="favourite_removed")
    account = await h.account()  # a first-time caller gets an account when they first act
    try:
        await favourites.mark(h.unit, h.catalog, account.id, restaurant_id=restaurant_id, item_id=item_id)
    except BadInput:
        return Move(None, hint="too_many_favourites")
    mine.insert(0, key)
    return Move(None, hint="favourite_added")
