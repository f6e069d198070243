"""The restaurant's promotions page over plain HTTP: a code and an offer made and ended with
forms, in English and French; staff are refused, admins let in."""
from html import unescape

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import PromoCode, RestaurantOffer
from tests import demo
from tests.console.helpers import console_sign_in, csrf_of

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
ADMIN = next(p for p in demo.demo_data.PEOPLE if p.role == "admin").phone


async def restaurant_id(chopbar) -> int:
    async with chopbar.app[DATABASE].unit() as unit:
        return (await demo.restaurant(unit)).id


@pytest.mark.parametrize("lang, made, offered, discount", [
    ("en", "Promo code SOIR200 made.", "Offer made: it shows on your menu in its hours.", "200 FCFA off the food"),
    ("fr", "Code promo SOIR200 créé.", "Offre créée : elle s'affiche sur votre menu à ses heures.", "200 FCFA de moins sur les plats"),
])
async def test_the_owner_makes_and_ends_a_code_and_an_offer(chopbar, lang, made, offered, discount):
    rid = await restaurant_id(chopbar)
    board = await console_sign_in(chopbar, OWNER, lang)
    assert f'href="/console/restaurants/{rid}/promotions"' in board
    base = f"/console/restaurants/{rid}/promotions"
    page = await (await chopbar.get(base)).text()
    assert "NGO500" in page
    form = {"csrf": csrf_of(page), "code": "soir200", "kind": "fixed", "value": "200", "min_subtotal_xaf": "2 000",
            "per_customer_limit": "1", "total_limit": "30", "ends_on": "2026-12-31"}
    answer = await chopbar.post(base + "/codes", data=form)
    page = await answer.text()
    assert answer.status == 200 and made in page and discount in page
    answer = await chopbar.post(base + "/offers", data={"csrf": csrf_of(page), "kind": "percent", "value": "15", "starts": "15:00",
                                                        "ends": "17:30", "day-1": "on", "day-3": "on"})
    page = await answer.text()
    assert offered in unescape(page) and "15:00-17:30" in page
    async with chopbar.app[DATABASE].unit() as unit:
        code = await unit.session.scalar(select(PromoCode).where(PromoCode.code == "SOIR200"))
        offer = await unit.session.scalar(select(RestaurantOffer).where(RestaurantOffer.restaurant_id == rid))
    assert (code.restaurant_id, code.funded_by, code.min_subtotal_xaf, code.total_limit) == (rid, "restaurant", 2000, 30)
    assert (offer.days, offer.starts_minute, offer.ends_minute, offer.value) == ("13", 900, 1050, 15)
    await chopbar.post(f"{base}/codes/{code.id}/end", data={"csrf": csrf_of(page)})
    page = await (await chopbar.post(f"{base}/offers/{offer.id}/end", data={"csrf": csrf_of(page)})).text()
    async with chopbar.app[DATABASE].unit() as unit:
        assert not (await unit.session.get(PromoCode, code.id)).active
        assert not (await unit.session.get(RestaurantOffer, offer.id)).active


async def test_a_bad_form_is_a_400_and_staff_are_refused_while_admins_are_let_in(chopbar):
    rid = await restaurant_id(chopbar)
    base = f"/console/restaurants/{rid}/promotions"
    await console_sign_in(chopbar, OWNER)
    page = await (await chopbar.get(base)).text()
    bad = await chopbar.post(base + "/offers", data={"csrf": csrf_of(page), "kind": "percent", "value": "10", "starts": "soon",
                                                     "ends": "17:00", "day-1": "on"})
    assert bad.status == 400
    unsigned = await chopbar.post(base + "/codes", data={"code": "NOCSRF", "kind": "fixed", "value": "100"})
    assert unsigned.status == 403
    await chopbar.post("/console/logout", data={"csrf": csrf_of(page)})
    await console_sign_in(chopbar, STAFF)
    assert (await chopbar.get(base)).status == 403
    page = await (await chopbar.get(f"/console/restaurants/{rid}")).text()
    await chopbar.post("/console/logout", data={"csrf": csrf_of(page)})
    await console_sign_in(chopbar, ADMIN)
    assert (await chopbar.get(base)).status == 200


async def test_an_admin_makes_a_code_for_every_restaurant_in_operations(chopbar):
    await console_sign_in(chopbar, ADMIN, "fr")
    page = await (await chopbar.get("/console/ops/promo-codes")).text()
    assert "BIENVENUE" in page and "Tous les restaurants" in page and "Chez Maman Ngo" in page
    answer = await chopbar.post("/console/ops/promo-codes", data={
        "csrf": csrf_of(page), "code": "FETE", "kind": "percent", "value": "10", "funded_by": "platform", "total_limit": "500"})
    page = await answer.text()
    assert answer.status == 200 and "Code promo FETE créé." in page
    async with chopbar.app[DATABASE].unit() as unit:
        code = await unit.session.scalar(select(PromoCode).where(PromoCode.code == "FETE"))
    assert (code.restaurant_id, code.funded_by, code.total_limit, code.created_by) == (None, "platform", 500, code.created_by)
    unpaid = await chopbar.post("/console/ops/promo-codes", data={
        "csrf": csrf_of(page), "code": "NOBODY", "kind": "percent", "value": "10", "funded_by": "restaurant"})
    assert unpaid.status == 400  # a code for every restaurant is Chopbar's to pay
    await chopbar.post(f"/console/ops/promo-codes/{code.id}/end", data={"csrf": csrf_of(page)})
    async with chopbar.app[DATABASE].unit() as unit:
        assert not (await unit.session.get(PromoCode, code.id)).active


async def test_support_and_restaurants_are_refused_the_operations_codes(chopbar):
    await console_sign_in(chopbar, OWNER)
    assert (await chopbar.get("/console/ops/promo-codes")).status == 403
