"""Promotions in the console. The restaurant's page, /console/restaurants/{id}/promotions: its
promo codes (paid by it) and its offers, made and ended with plain forms, for its owner and
managers (core.restaurant_roles.PROMOS) and for admins. The admins' page in operations,
/console/ops/promo-codes: every code, and codes for every restaurant or one, paid by the
platform or the restaurant. Each form is checked as the REST API checks its body
(`channels.api.promotions`), then goes to the same use case (core.use_cases.promotions).
"""
from aiohttp import web
from aiohttp_session import get_session
from pydantic import ValidationError

from channels.api.promotions import AdminCodeIn, CodeIn, OfferIn
from channels.console.board import RESTAURANT, restaurant_of
from channels.console.foundation import PREFIX, language, operator, page, see_other, signed_in, working_at
from channels.keys import DATABASE, DIALOGS
from core import restaurant_roles as roles
from core.errors import BadInput
from core.formatting import money
from core.i18n import N_, translate
from core.use_cases import promotions, upkeep

CODE_MADE = N_("Promo code {code} made.")
OFFER_MADE = N_("Offer made: it shows on your menu in its hours.")
ENDED = N_("Ended.")
CHECK = N_("Check the form: {problems}")
WHAT = {"percent": N_("{value}% off the food"), "fixed": N_("{amount} off the food"), "free_delivery": N_("Free delivery")}
DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


async def _scope(request: web.Request, restaurant_id: int) -> promotions.Scope:
    found = await signed_in(request)
    if found.has_role("admin"):
        return promotions.Scope(actor=found.actor, restaurant_id=restaurant_id, admin=True)
    who = await working_at(request, restaurant_id, roles.PROMOS)
    return promotions.Scope(actor=who.actor, restaurant_id=restaurant_id)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _minute(text: str) -> int | str:
    hours, _, minutes = text.strip().partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
        return int(hours) * 60 + int(minutes)
    return text  # the model refuses it with the others


def what(kind: str, value: int, lang: str) -> str:
    return translate(WHAT[kind], lang, value=value, amount=money(value, lang))


async def promotions_page(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    scope = await _scope(request, restaurant_id)
    units, lang = request.config_dict[DATABASE], language(request)
    standing = await upkeep.standing(units, restaurant_id)
    codes = await promotions.codes(units, scope, restaurant_id)
    offers = await promotions.offers(units, scope, restaurant_id)
    notice = (await get_session(request)).pop("notice", None)
    return page(
        request, "promotions.html", place=standing, restaurant_id=restaurant_id, codes=codes, offers=offers, notice=notice,
        what=lambda kind, value: what(kind, value, lang), money=lambda v: money(v, lang), hhmm=_hhmm,
        day_names=lambda days: " ".join(translate(DAYS[int(d) - 1], lang) for d in sorted(days)), days=DAYS,
    )


def _checked(model, given: dict, lang: str):
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        problems = "; ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors(include_url=False)[:5])
        raise BadInput(translate(CHECK, lang, problems=problems)) from None


def _number(form, name: str) -> int | str | None:
    raw = str(form.get(name, "")).strip().replace(" ", "")
    return (int(raw) if raw.isdigit() else raw) if raw else None


def _code_form(form) -> dict:
    ends = str(form.get("ends_on", "")).strip()
    return {
        "code": str(form.get("code", "")).strip(), "kind": form.get("kind"), "value": _number(form, "value") or 0,
        "min_subtotal_xaf": _number(form, "min_subtotal_xaf") or 0,
        "ends_at": f"{ends}T23:59:59+01:00" if ends else None,  # the end of that day in Cameroon (UTC+1 all year)
        "first_order_only": form.get("first_order_only") == "on", "per_customer_limit": _number(form, "per_customer_limit"),
        "total_limit": _number(form, "total_limit"),
    }


async def make_code(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    scope = await _scope(request, restaurant_id)
    form, lang = await request.post(), language(request)
    body = _checked(CodeIn, _code_form(form), lang)
    made = await promotions.create_code(request.config_dict[DATABASE], scope, promotions.CodeTerms(
        **body.model_dump(), restaurant_id=restaurant_id, funded_by="restaurant"))
    (await get_session(request))["notice"] = translate(CODE_MADE, lang, code=made.code)
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/promotions")


OPS_CODES = "/ops/promo-codes"


async def ops_codes_page(request: web.Request) -> web.Response:
    who = await operator(request, "admin")
    lang = language(request)
    codes = await promotions.codes(request.config_dict[DATABASE], promotions.Scope(actor=who.actor, admin=True))
    names = {r.id: r.name for r in (await request.config_dict[DIALOGS].catalog.get()).restaurants.values()}
    notice = (await get_session(request)).pop("notice", None)
    return page(request, "ops_promo_codes.html", codes=codes, names=names, notice=notice, section="promotions",
                is_admin=True, ops=PREFIX + "/ops", what=lambda kind, value: what(kind, value, lang),
                money=lambda v: money(v, lang))


async def ops_make_code(request: web.Request) -> web.Response:
    who = await operator(request, "admin")
    form, lang = await request.post(), language(request)
    restaurant = _number(form, "restaurant_id")
    body = _checked(AdminCodeIn, {**_code_form(form), "restaurant_id": restaurant,
                                  "funded_by": form.get("funded_by", "platform")}, lang)
    made = await promotions.create_code(request.config_dict[DATABASE], promotions.Scope(actor=who.actor, admin=True),
                                        promotions.CodeTerms(**body.model_dump()))
    (await get_session(request))["notice"] = translate(CODE_MADE, lang, code=made.code)
    raise see_other(PREFIX + OPS_CODES)


async def ops_end_code(request: web.Request) -> web.Response:
    who = await operator(request, "admin")
    await promotions.change_code(request.config_dict[DATABASE], promotions.Scope(actor=who.actor, admin=True),
                                 int(request.match_info["code_id"]), {"active": False})
    (await get_session(request))["notice"] = translate(ENDED, language(request))
    raise see_other(PREFIX + OPS_CODES)


async def end_code(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    scope = await _scope(request, restaurant_id)
    code_id = request.match_info["code_id"]
    await promotions.change_code(request.config_dict[DATABASE], scope, int(code_id), {"active": False})
    (await get_session(request))["notice"] = translate(ENDED, language(request))
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/promotions")


async def make_offer(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    scope = await _scope(request, restaurant_id)
    form, lang = await request.post(), language(request)
    days = "".join(str(n) for n in range(1, 8) if form.get(f"day-{n}") == "on")
    body = _checked(OfferIn, {
        "kind": form.get("kind"), "value": _number(form, "value"), "days": days,
        "starts_minute": _minute(str(form.get("starts", ""))), "ends_minute": _minute(str(form.get("ends", ""))),
        "min_subtotal_xaf": _number(form, "min_subtotal_xaf") or 0,
    }, lang)
    await promotions.create_offer(request.config_dict[DATABASE], scope, restaurant_id, promotions.OfferTerms(**body.model_dump()))
    request.config_dict[DIALOGS].catalog.invalidate()
    (await get_session(request))["notice"] = translate(OFFER_MADE, lang)
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/promotions")


async def end_offer(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    scope = await _scope(request, restaurant_id)
    await promotions.end_offer(request.config_dict[DATABASE], scope, restaurant_id, int(request.match_info["offer_id"]))
    request.config_dict[DIALOGS].catalog.invalidate()
    (await get_session(request))["notice"] = translate(ENDED, language(request))
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/promotions")


def setup(console: web.Application) -> None:
    console.router.add_get(OPS_CODES, ops_codes_page)
    console.router.add_post(OPS_CODES, ops_make_code)
    console.router.add_post(OPS_CODES + r"/{code_id:\d{1,9}}/end", ops_end_code)
    console.router.add_get(RESTAURANT + "/promotions", promotions_page)
    console.router.add_post(RESTAURANT + "/promotions/codes", make_code)
    console.router.add_post(RESTAURANT + r"/promotions/codes/{code_id:\d{1,9}}/end", end_code)
    console.router.add_post(RESTAURANT + "/promotions/offers", make_offer)
    console.router.add_post(RESTAURANT + r"/promotions/offers/{offer_id:\d{1,9}}/end", end_offer)
