"""A customer's favourites by SMS: `FAV` lists their favourite restaurants with the numbers that
`MENU <n>` and `ORDER <n> ...` then use; `FAV <n>` marks restaurant n of the last list shown.
Unmarking, and dishes, are on USSD, WhatsApp and the app, where the dish is in front of them."""
from typing import TYPE_CHECKING

from core.errors import BadInput, ChopbarError
from core.use_cases import favourites
from menus import sms_texts as T
from menus.keywords import Command

if TYPE_CHECKING:
    from channels.sms.customers import CustomerSms

LISTED = 6  # as many as MENU lists


async def answer(sms: "CustomerSms", command: Command, pending: dict, *, kept_for: int) -> str:
    if command.args and command.args[0].isdigit():
        return await _mark(sms, int(command.args[0]), pending)
    restaurant_ids: list[int] = []
    for favourite in await favourites.favourites_of(sms.unit, sms.account.id):  # a dish's restaurant counts too
        restaurant = sms.catalog.restaurants.get(favourite.restaurant_id)
        if restaurant is not None and restaurant.status == "approved" and restaurant.id not in restaurant_ids:
            restaurant_ids.append(restaurant.id)
    restaurant_ids = restaurant_ids[:LISTED]
    if not restaurant_ids:
        return sms.t(T.FAV_NONE)
    await sms.store.put(sms.key, {"restaurants": restaurant_ids}, kept_for)
    shown = ", ".join(f"{n} {sms.catalog.restaurant(r).name}" for n, r in enumerate(restaurant_ids, 1))
    return sms.t(T.FAV_LIST, list=shown)


async def _mark(sms: "CustomerSms", number: int, pending: dict) -> str:
    ids = pending.get("restaurants") or []
    if not 0 < number <= len(ids):
        return sms.t(T.NO_RESTAURANT, number=number)
    try:
        await favourites.mark(sms.unit, sms.catalog, sms.account.id, restaurant_id=ids[number - 1])
    except BadInput:
        return sms.t(T.FAV_TOO_MANY)
    except ChopbarError:  # gone from the listings since the list was sent
        return sms.t(T.NO_RESTAURANT, number=number)
    return sms.t(T.FAV_ADDED, restaurant=sms.catalog.restaurant(ids[number - 1]).name)
