"""Offers and the management of codes over HTTP: an offer shows as one line on the restaurant's
USSD menu in the caller's language and comes off the basket by itself; who may make which code."""
import json

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Order
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_promo_codes import (
    ADMIN, EN, FR, OWNER, admin_code, keys, maman_ngo, order_body, place, quote, split_of, ussd_to_summary,
)
from tests.channels.test_whatsapp import choices, say, screen
from tests.ussd import gateway_for, pick

STAFF = demo.ALL_DAY_YAOUNDE.backup_phone
ESSOS = "+237699100003"  # Saveurs d'Essos' console: a manager there, nobody at Maman Ngo


async def lunch_offer(chopbar, tokens, restaurant_id: int, **terms) -> dict:
    """20 % off the food on Tuesdays 12:00-14:00 local: the tests' clock is 12:30 on a Tuesday."""
    body = {"kind": "percent", "value": 20, "days": "2", "starts_minute": 12 * 60, "ends_minute": 14 * 60, **terms}
    made = await chopbar.post(f"/api/v1/restaurants/{restaurant_id}/offers", json=body,
                              headers={**bearer(tokens), "Idempotency-Key": f"f{next(keys)}"})
    assert made.status == 201, await made.text()
    return await made.json()


@pytest.mark.parametrize("phone, line, discount", [
    (FR, "Offre : -20% sur les plats 12:00-14:00", "Offre -800 FCFA"),
    (EN, "Offer: -20% on food 12:00-14:00", "Offer -800 FCFA"),
])
async def test_an_offer_shows_on_the_restaurants_menu_and_comes_off_the_basket(chopbar, phone, line, discount):
    owner = await sign_in(chopbar, OWNER)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    session = gateway_for(chopbar).dial(phone)
    english = (await session.open()).text.startswith("Chopbar: what")
    await pick(session, "Order food" if english else "Commander a manger")
    await pick(session, "Yaounde")
    before = await pick(session, "Chez Maman Ngo")
    assert "Offer" not in before and "Offre" not in before
    offer = await lunch_offer(chopbar, owner, restaurant_id)
    await session.press("0")
    menu = await pick(session, "Chez Maman Ngo")
    assert menu.split("\n")[:2] == ["Chez Maman Ngo", line] and len(menu) <= 160

    session, _ = await ussd_to_summary(chopbar, phone)
    assert discount in session.last.text
    customer = await sign_in(chopbar, phone)
    status, priced = await quote(chopbar, customer, order_body(restaurant_id, poulet.id, None))
    assert (status, priced["discount_xaf"], priced["discount_from"], priced["discount_funded_by"]) == (200, 800, "offer", "restaurant")
    status, refused = await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "NGO500"))  # 500 < 800
    assert status == 400 and refused["error"]["message"] == (
        "Today's offer already gives you more than this code." if phone == EN else "L'offre du moment vous donne déjà plus que ce code.")
    admin = await sign_in(chopbar, ADMIN)
    await admin_code(chopbar, admin, code="PLUS30", value=30)
    status, better = await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "PLUS30"))
    assert (status, better["discount_xaf"], better["discount_from"]) == (200, 1200, "promo_code")

    placed = await (await place(chopbar, customer, order_body(restaurant_id, poulet.id, None))).json()
    assert placed["discount_xaf"] == 800
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == placed["code"]))
    assert (order.offer_id, order.promo_code_id, order.discount_funder) == (offer["id"], None, "restaurant")
    legs = await split_of(chopbar, placed["code"])
    assert legs["restaurant"] == -(4000 - 400 - 800) and legs["platform"] == -400

    ended = await chopbar.delete(f"/api/v1/restaurants/{restaurant_id}/offers/{offer['id']}", headers=bearer(owner))
    assert ended.status == 200 and (await ended.json())["active"] is False
    status, priced = await quote(chopbar, customer, order_body(restaurant_id, poulet.id, None))
    assert priced["discount_xaf"] == 0


async def test_who_may_make_which_code(chopbar):
    owner, staff, other, admin, customer = [await sign_in(chopbar, p) for p in (OWNER, STAFF, ESSOS, ADMIN, FR)]
    restaurant_id, _, _ = await maman_ngo(chopbar)
    mine = f"/api/v1/restaurants/{restaurant_id}/promo-codes"
    body = {"code": "ngo1000", "kind": "fixed", "value": 1000, "min_subtotal_xaf": 5000, "total_limit": 50}
    made = await chopbar.post(mine, json=body, headers={**bearer(owner), "Idempotency-Key": "m1"})
    assert made.status == 201
    code = await made.json()
    assert (code["code"], code["restaurant_id"], code["funded_by"], code["uses"]) == ("NGO1000", restaurant_id, "restaurant", 0)
    again = await chopbar.post(mine, json=body, headers={**bearer(owner), "Idempotency-Key": "m2"})
    assert again.status == 409
    for tokens in (staff, other, customer):
        assert (await chopbar.get(mine, headers=bearer(tokens))).status == 403
        assert (await chopbar.post(mine, json={**body, "code": "X123"}, headers={**bearer(tokens), "Idempotency-Key": "m3"})).status == 403
    assert (await chopbar.get("/api/v1/promo-codes", headers=bearer(owner))).status == 403
    listed = await (await chopbar.get(mine, headers=bearer(owner))).json()
    assert {c["code"] for c in listed["items"]} == {"NGO500", "NGO1000"}  # its own only

    everywhere = await admin_code(chopbar, admin, code="PARTOUT")
    sneaky = await chopbar.patch(f"{mine}/{everywhere['id']}", json={"active": False}, headers=bearer(owner))
    assert sneaky.status == 404  # not the restaurant's code
    ended = await chopbar.patch(f"{mine}/{code['id']}", json={"active": False}, headers=bearer(owner))
    assert ended.status == 200 and (await ended.json())["active"] is False
    unpaid = await chopbar.post("/api/v1/promo-codes", json={"code": "NOBODY", "kind": "percent", "value": 5, "funded_by": "restaurant"},
                                headers={**bearer(admin), "Idempotency-Key": "m4"})
    assert unpaid.status == 400  # a code for every restaurant is the platform's to pay
    bad = await chopbar.post(mine, json={**body, "code": "BAD1", "kind": "percent", "value": 150},
                             headers={**bearer(owner), "Idempotency-Key": "m5"})
    assert bad.status == 400
    offers = f"/api/v1/restaurants/{restaurant_id}/offers"
    wrong = await chopbar.post(offers, json={"kind": "percent", "value": 10, "starts_minute": 900, "ends_minute": 800},
                               headers={**bearer(owner), "Idempotency-Key": "m6"})
    assert wrong.status == 400
    assert (await chopbar.get(offers, headers=bearer(staff))).status == 403
    everything = await (await chopbar.get("/api/v1/promo-codes", headers=bearer(admin))).json()
    assert {"BIENVENUE", "NGO500", "LIVRAISON", "RENTREE", "NGO1000", "PARTOUT"} <= {c["code"] for c in everything["items"]}


async def test_the_promotion_endpoints_are_in_the_openapi_document(chopbar):
    paths = (await (await chopbar.get("/api/v1/openapi.json")).json())["paths"]
    assert {"/promo-codes", "/promo-codes/{code_id}", "/restaurants/{restaurant_id}/promo-codes",
            "/restaurants/{restaurant_id}/promo-codes/{code_id}", "/restaurants/{restaurant_id}/offers",
            "/restaurants/{restaurant_id}/offers/{offer_id}", "/orders/quote"} <= set(paths)


async def test_on_whatsapp_the_offer_shows_on_the_menu_and_a_code_is_typed_on_the_summary(chopbar):
    phone = "+237699555061"  # a new number: French, and no order yet
    owner, admin = await sign_in(chopbar, OWNER), await sign_in(chopbar, ADMIN)
    restaurant_id, _, _ = await maman_ngo(chopbar)
    await lunch_offer(chopbar, owner, restaurant_id, value=10)
    await admin_code(chopbar, admin, code="WHATS25", value=25)
    await say(chopbar, phone, text="Bonjour")
    for title in ("Commander", "Yaounde"):
        await tap(chopbar, title, phone)
    menu = await tap(chopbar, "Chez Maman Ngo", phone)
    assert "Offre : -10% sur les plats 12:00-14:00" in json.dumps(menu, ensure_ascii=False)
    await tap(chopbar, "Plats", phone)
    part = await tap(chopbar, "Poulet DG", phone)
    while "(1-20)" not in json.dumps(part, ensure_ascii=False):
        await say(chopbar, phone, reply_id=next(iter(choices(part).values())))
        part = await screen(chopbar, phone)
    await say(chopbar, phone, text="1")
    for title in ("Valider", "emporter", "comptoir"):
        summary = await tap(chopbar, title, phone)
    assert "Offre -400 FCFA" in json.dumps(summary, ensure_ascii=False)
    await tap(chopbar, "Code promo", phone)
    await say(chopbar, phone, text="whats25")
    summary = json.dumps(await screen(chopbar, phone), ensure_ascii=False)
    assert "Code WHATS25 -1 000 FCFA" in summary and "Total 3 000 FCFA" in summary
    end = await tap(chopbar, "Confirmer", phone)
    code = end["text"]["body"].split()[1]
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
    assert (order.channel, order.total_xaf, order.discount_xaf, order.offer_id) == ("whatsapp", 3000, 1000, None)


async def tap(chopbar, title: str, phone: str) -> dict:
    options = choices(await screen(chopbar, phone))
    match = next((i for t, i in options.items() if title.lower() in t.lower()), None)
    assert match is not None, f"{title!r} not in {list(options)}"
    await say(chopbar, phone, reply_id=match, reply_title=title)
    return await screen(chopbar, phone)
