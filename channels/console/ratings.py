"""The restaurant's ratings page, /console/restaurants/{id}/ratings, for its owner and managers
(core.restaurant_roles.RATINGS): its average and count, then its customers' comments, newest
first, each with its answer or a form to answer it once (the customer gets the answer by SMS).
Plain forms posting to core.use_cases.rating, as the REST API's POST .../ratings/{id}/answer.
"""
from aiohttp import web
from aiohttp_session import get_session

from channels.console.board import RESTAURANT, restaurant_of
from channels.console.foundation import PREFIX, language, page, see_other, working_at
from channels.keys import DATABASE, SETTINGS
from core import restaurant_roles as roles
from core.formatting import local_time
from core.i18n import N_, translate
from core.use_cases import rating

SHOWN = 50  # the newest comments; older ones are on the API, by cursor
ANSWER_SENT = N_("Your answer was sent to the customer by SMS.")


async def ratings_page(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    await working_at(request, restaurant_id, roles.RATINGS)
    db = request.config_dict[DATABASE]
    standing = await rating.averages(db, restaurant_id)
    comments = await rating.of_restaurant(db, restaurant_id, limit=SHOWN, commented=True)
    notice = (await get_session(request)).pop("notice", None)
    tz = request.config_dict[SETTINGS].timezone
    dated = [(c, local_time(c.rated_at, tz).strftime("%d/%m %H:%M")) for c in comments]
    return page(request, "ratings.html", place=standing, restaurant_id=restaurant_id, comments=dated, notice=notice)


async def answer(request: web.Request) -> web.Response:
    restaurant_id = restaurant_of(request)
    who = await working_at(request, restaurant_id, roles.RATINGS)
    rating_id = int(request.match_info["rating_id"])
    form = await request.post()
    await rating.answer(request.config_dict[DATABASE], restaurant_id, rating_id, str(form.get("text", "")), actor=who.actor)
    (await get_session(request))["notice"] = translate(ANSWER_SENT, language(request))
    raise see_other(f"{PREFIX}/restaurants/{restaurant_id}/ratings")


def setup(console: web.Application) -> None:
    console.router.add_get(RESTAURANT + "/ratings", ratings_page)
    console.router.add_post(RESTAURANT + "/ratings/{rating_id:\\d{1,9}}/answer", answer)
