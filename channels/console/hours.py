"""The restaurant's hours page, /console/restaurants/{id}/hours: the week's opening hours, for its
owner and managers (core.restaurant_roles.HOURS; staff are refused), and closing for now or
opening again (OPEN, as CLOSE/OPEN by SMS). Plain forms posting to core.use_cases.upkeep, as the
REST API's PUT .../hours and POST .../close and /open; each answered by a redirect to the page.

A day has up to SPANS_A_DAY spans (a lunch and a dinner service), each local HH:MM to HH:MM; a
closing time before the opening one runs past midnight, 24:00 is the end of the day, as in the
API (`channels.api.kitchen.spans_of` checks both the same way).
"""
from aiohttp import web
from aiohttp_session import get_session
from pydantic import ValidationError

from channels.api.kitchen import Span, spans_of
from channels.console.board import RESTAURANT, restaurant_of
from channels.console.foundation import PREFIX, language, page, see_other, working_at
from channels.keys import DATABASE, DIALOGS
from core import restaurant_roles as roles
from core.errors import BadInput
from core.hours import DAY
from core.i18n import N_, translate
from core.use_cases import upkeep

SPANS_A_DAY = 2
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
HOURS_SAVED = N_("Opening hours saved.")
HALF_SPAN = N_("{day}: give both the opening and the closing time, or neither.")
BAD_TIME = N_("{day}: times are HH:MM, like 11:30 (24:00 is midnight at the end of the day).")


def _hhmm(minute: int) -> str:
    """Minutes as HH:MM on the wall clock: past midnight wraps."""
    return f"{minute % DAY // 60:02d}:{minute % 60:02d}"


def _week(standing: upkeep.Standing) -> list[tuple[int, str, list[tuple[str, str]]]]:
    """(weekday, its name's msgid, SPANS_A_DAY (opens, closes) pairs, blank where there is none)."""
    week = []
    for weekday, name in enumerate(WEEKDAYS):
        spans = [(_hhmm(s.opens_min), "24:00" if s.closes_min == DAY else _hhmm(s.closes_min))
                 for s in standing.hours if s.weekday == weekday]
        week.append((weekday, name, (spans + [("", "")] * SPANS_A_DAY)[:max(SPANS_A_DAY, len(spans))]))
    return week


async def hours_page(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.HOURS)
    standing = await upkeep.standing(request.config_dict[DATABASE], restaurant_id)
    notice = (await get_session(request)).pop("notice", None)
    return page(request, "hours.html", place=standing, restaurant_id=restaurant_id, week=_week(standing), notice=notice)


def spans_from(form, lang: str) -> list[Span]:
    spans = []
    for weekday, name in enumerate(WEEKDAYS):
        for n in range(10):
            opens, closes = (str(form.get(f"{side}-{weekday}-{n}", "")).strip() for side in ("opens", "closes"))
            if not opens and not closes:
                continue
            if not opens or not closes:
                raise BadInput(translate(HALF_SPAN, lang, day=translate(name, lang)))
            try:
                spans.append(Span(weekday=weekday, opens=opens, closes=closes))
            except ValidationError:
                raise BadInput(translate(BAD_TIME, lang, day=translate(name, lang))) from None
    return spans


async def set_hours(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    who = await working_at(request, restaurant_id, roles.HOURS)
    lang = language(request)
    given = spans_from(await request.post(), lang)
    await upkeep.set_hours(request.config_dict[DATABASE], restaurant_id, spans_of(given), actor=who.actor,
                           as_given=[s.model_dump() for s in given])
    request.config_dict[DIALOGS].catalog.invalidate()
    (await get_session(request))["notice"] = translate(HOURS_SAVED, lang)
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/hours")


async def _open_or_close(request: web.Request, is_open: bool) -> web.Response:
    restaurant_id = restaurant_of(request)
    who = await working_at(request, restaurant_id, roles.OPEN)
    await upkeep.open_or_close(request.config_dict[DATABASE], restaurant_id, is_open, actor=who.actor)
    request.config_dict[DIALOGS].catalog.invalidate()
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/hours")


async def close(request: web.Request) -> web.Response:
    return await _open_or_close(request, False)


async def reopen(request: web.Request) -> web.Response:
    return await _open_or_close(request, True)


def setup(console: web.Application) -> None:
    console.router.add_get(RESTAURANT + "/hours", hours_page)
    console.router.add_post(RESTAURANT + "/hours", set_hours)
    console.router.add_post(RESTAURANT + "/close", close)
    console.router.add_post(RESTAURANT + "/open", reopen)
