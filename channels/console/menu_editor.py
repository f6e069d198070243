"""The restaurant's menu editor, /console/restaurants/{id}/menu, for its owner and managers
(core.restaurant_roles.MENU; staff are refused): categories added, renamed and deleted; dishes
added, renamed, repriced, moved, marked sold out or back and deleted; option groups added (a size
to pick, or extras) and deleted; options repriced, marked unavailable or back, added and deleted.
Each change is one plain form posting to the same use cases as the REST API
(core.use_cases.menus), answered by a redirect to the editor; with scripts on, htmx saves a dish
or an option as soon as a field changes and swaps the menu in place.

The commit bumps the catalog's version (core.catalog_versions), and this process drops its
snapshot at once, so the next USSD dial or SMS MENU shows the change.
"""
from aiohttp import web
from aiohttp_session import get_session

from channels.console.board import RESTAURANT, restaurant_of
from channels.console.foundation import PREFIX, language, page, see_other, working_at
from channels.keys import DATABASE, DIALOGS
from core import menu_editing as rules
from core import restaurant_roles as roles
from core.errors import BadInput, ChopbarError
from core.formatting import money
from core.i18n import N_, translate
from core.use_cases import menus, upkeep

SAVED = N_("Saved.")
WHOLE_XAF = N_("{field}: a whole number of francs, like 2500.")


def amount(form, field: str, label: str, lang: str) -> int:
    raw = str(form.get(field, "")).strip().replace(" ", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 7):
        raise BadInput(translate(WHOLE_XAF, lang, field=translate(label, lang)))
    return int(raw)


def text(form, field: str) -> str:
    return " ".join(str(form.get(field, "")).split())


async def _editor(request: web.Request) -> dict:
    app = request.config_dict
    restaurant_id = restaurant_of(request)
    lang = language(request)
    return {"restaurant_id": restaurant_id, "menu": await menus.menu(app[DATABASE], restaurant_id),
            "lang_money": lambda v: money(v, lang)}


async def menu_page(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.MENU)
    place = await upkeep.standing(request.config_dict[DATABASE], restaurant_id)
    notice = (await get_session(request)).pop("notice", None)
    return page(request, "menu.html", place=place, notice=notice, **await _editor(request))


async def _change(request: web.Request, act) -> web.Response:
    """Runs one change of the menu; a refusal (a name taken, a bad price) is shown above the menu."""
    restaurant_id = restaurant_of(request)
    who = await working_at(request, restaurant_id, roles.MENU)
    form = await request.post()
    lang = language(request)
    try:
        await act(request.config_dict[DATABASE], restaurant_id, form, who.actor, lang)
        request.config_dict[DIALOGS].catalog.invalidate()
        notice = translate(SAVED, lang)
    except ChopbarError as exc:
        if exc.status in (403, 503):
            raise
        notice = str(exc)
    if request.headers.get("HX-Request"):
        return page(request, "_menu.html", notice=notice, **await _editor(request))
    (await get_session(request))["notice"] = notice
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/menu")


def _id(request: web.Request, name: str) -> int:
    return int(request.match_info[name])


async def add_category(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.add_category(db, restaurant_id, name_fr=text(form, "name_fr"), name_en=text(form, "name_en"), actor=actor)
    return await _change(request, act)


async def change_category(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.change_category(db, restaurant_id, _id(request, "category_id"), actor=actor,
                                    name_fr=text(form, "name_fr"), name_en=text(form, "name_en"))
    return await _change(request, act)


async def delete_category(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.delete_category(db, restaurant_id, _id(request, "category_id"), actor=actor)
    return await _change(request, act)


async def add_dish(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.add_dish(db, restaurant_id, category_id=_id(request, "category_id"), name_fr=text(form, "name_fr"),
                             name_en=text(form, "name_en"), price_xaf=amount(form, "price_xaf", N_("Price"), lang),
                             description_fr=text(form, "description_fr"), description_en=text(form, "description_en"),
                             actor=actor)
    return await _change(request, act)


async def change_dish(request: web.Request) -> web.Response:
    """The dish's whole form: names, price, category, and availability (a checkbox: absent is sold out)."""
    async def act(db, restaurant_id, form, actor, lang):
        changes = {"name_fr": text(form, "name_fr"), "name_en": text(form, "name_en"),
                   "price_xaf": amount(form, "price_xaf", N_("Price"), lang), "available": form.get("available") == "on"}
        category = str(form.get("category_id", "")).strip()
        if category:
            if not (category.isascii() and category.isdigit() and len(category) <= 9):
                raise BadInput("category_id: a category of this menu")
            changes["category_id"] = int(category)
        await menus.change_dish(db, restaurant_id, _id(request, "item_id"), changes, actor=actor)
    return await _change(request, act)


async def delete_dish(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.delete_dish(db, restaurant_id, _id(request, "item_id"), actor=actor)
    return await _change(request, act)


KINDS = {"one": (1, 1), "extras": (0, 3)}  # pick exactly one (a size), or up to three extras


async def add_group(request: web.Request) -> web.Response:
    """An option group with its first option: "pick one" (a size) or "extras" (up to three)."""
    async def act(db, restaurant_id, form, actor, lang):
        low, high = KINDS.get(str(form.get("kind", "")), (None, None))
        if low is None:
            raise BadInput("kind: one or extras")
        first = rules.NewOption(text(form, "option_fr"), text(form, "option_en"),
                                amount(form, "price_delta_xaf", N_("Extra price"), lang))
        group = rules.NewGroup(text(form, "name_fr"), text(form, "name_en"), low, high, (first,))
        await menus.add_group(db, restaurant_id, _id(request, "item_id"), group, actor=actor)
    return await _change(request, act)


async def delete_group(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.delete_group(db, restaurant_id, _id(request, "group_id"), actor=actor)
    return await _change(request, act)


async def change_option(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        changes = {"price_delta_xaf": amount(form, "price_delta_xaf", N_("Extra price"), lang),
                   "available": form.get("available") == "on"}
        await menus.change_option(db, restaurant_id, _id(request, "option_id"), changes, actor=actor)
    return await _change(request, act)


async def add_option(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        option = rules.NewOption(text(form, "name_fr"), text(form, "name_en"),
                                 amount(form, "price_delta_xaf", N_("Extra price"), lang))
        await menus.add_option(db, restaurant_id, _id(request, "group_id"), option, actor=actor)
    return await _change(request, act)


async def delete_option(request: web.Request) -> web.Response:
    async def act(db, restaurant_id, form, actor, lang):
        await menus.delete_option(db, restaurant_id, _id(request, "option_id"), actor=actor)
    return await _change(request, act)


def setup(console: web.Application) -> None:
    base = RESTAURANT + "/menu"
    console.router.add_get(base, menu_page)
    console.router.add_post(base + "/categories", add_category)
    category = base + "/categories/{category_id:\\d{1,9}}"
    console.router.add_post(category, change_category)
    console.router.add_post(category + "/delete", delete_category)
    console.router.add_post(category + "/dishes", add_dish)
    dish = base + "/dishes/{item_id:\\d{1,9}}"
    console.router.add_post(dish, change_dish)
    console.router.add_post(dish + "/delete", delete_dish)
    console.router.add_post(dish + "/groups", add_group)
    group = base + "/groups/{group_id:\\d{1,9}}"
    console.router.add_post(group + "/delete", delete_group)
    console.router.add_post(group + "/options", add_option)
    option = base + "/options/{option_id:\\d{1,9}}"
    console.router.add_post(option, change_option)
    console.router.add_post(option + "/delete", delete_option)
