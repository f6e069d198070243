"""Promo codes over HTTP: the same code gives the same total and the same split on USSD, SMS and
REST; every limit is refused clearly, in English and French; the last use goes to one order."""
import asyncio

import pytest
from sqlalchemy import select

from channels.keys import DATABASE
from core import delivery, ledger
from core.models import LedgerEntry, MenuItem, Order, PromoCode
from tests import demo
from tests.channels.test_api_auth import bearer, sign_in
from tests.sms import last, text
from tests.ussd import gateway_for, pick

ADMIN = next(p for p in demo.demo_data.PEOPLE if p.role == "admin").phone
OWNER = demo.ALL_DAY_YAOUNDE.phone  # Chez Maman Ngo's console and owner
FR, EN = demo.CUSTOMER_FR.phone, demo.CUSTOMER_EN.phone
DRIVER = next(p for p in demo.demo_data.PEOPLE if p.role == "driver" and p.city == "Yaounde").phone
keys = iter(range(1, 10_000))


async def maman_ngo(chopbar) -> tuple[int, MenuItem, MenuItem]:
    """The restaurant's id, its Poulet DG (4 000, extras only) and a dish under 3 000 without options."""
    async with chopbar.app[DATABASE].unit() as unit:
        restaurant = await demo.restaurant(unit)
        items = list(await unit.session.scalars(select(MenuItem).where(MenuItem.restaurant_id == restaurant.id)))
    poulet = next(i for i in items if i.name_en == "Poulet DG")
    cheap = next(i for i in items if i.price_xaf < 3000 and i.available and not i.option_groups)
    return restaurant.id, poulet, cheap


async def admin_code(chopbar, admin: dict, **terms) -> dict:
    body = {"kind": "percent", "value": 20, "per_customer_limit": None, "funded_by": "platform", **terms}
    made = await chopbar.post("/api/v1/promo-codes", json=body, headers={**bearer(admin), "Idempotency-Key": f"c{next(keys)}"})
    assert made.status == 201, await made.text()
    return await made.json()


def order_body(restaurant_id: int, item_id: int, code: str | None, *, quantity: int = 1, pickup: bool = False) -> dict:
    body = {"restaurant_id": restaurant_id, "lines": [{"item_id": item_id, "quantity": quantity}], "payment_method": "cash",
            "promo_code": code}
    if pickup:
        return {**body, "fulfilment": "pickup"}
    return {**body, "fulfilment": "delivery", "address": {"quarter": "Bastos", "landmark": "Derriere l'ambassade de Chine"}}


async def quote(chopbar, tokens, body) -> tuple[int, dict]:
    response = await chopbar.post("/api/v1/orders/quote", json=body, headers=bearer(tokens))
    return response.status, await response.json()


async def place(chopbar, tokens, body):
    return await chopbar.post("/api/v1/orders", json=body, headers={**bearer(tokens), "Idempotency-Key": f"o{next(keys)}"})


async def ussd_to_summary(chopbar, phone: str):
    """Poulet DG from Chez Maman Ngo to the caller's saved address, cash: the session on its summary."""
    session = gateway_for(chopbar).dial(phone)
    english = (await session.open()).text.startswith("Chopbar: what")
    await pick(session, "Order food" if english else "Commander a manger")
    await pick(session, "Yaounde")
    await pick(session, "Chez Maman Ngo")
    await pick(session, "Plates" if english else "Plats")
    await pick(session, "Poulet DG")
    while "(1-20)" not in session.last.text:
        await session.press("1")
    await session.press("1")
    await pick(session, "Checkout" if english else "Valider")
    await pick(session, "Deliver to me" if english else "Me livrer")
    await session.press("1")
    await pick(session, "Cash" if english else "Especes")
    return session, english


async def ussd_with_code(chopbar, phone: str, code: str) -> tuple[object, str]:
    session, english = await ussd_to_summary(chopbar, phone)
    await pick(session, "Promo code" if english else "Code promo")
    shown = (await session.press(code)).text
    return session, shown


async def split_of(chopbar, code: str) -> dict[str, int]:
    """The order's delivery split once a driver delivers it, by kind of ledger account."""
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        driver = await demo.account(unit, DRIVER)
        await delivery.settle(unit, order, driver.id)
        await unit.session.flush()
        entries = await unit.session.scalars(
            select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == "delivery_split"))
        legs: dict[str, int] = {}
        for entry in entries:
            kind = entry.ledger_account.split(":")[0]
            legs[kind] = legs.get(kind, 0) + entry.amount_xaf
        assert await ledger.is_balanced(unit)
    return legs


async def test_one_code_gives_the_same_total_and_split_on_ussd_sms_and_rest(chopbar):
    admin, customer = await sign_in(chopbar, ADMIN), await sign_in(chopbar, FR)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    await admin_code(chopbar, admin, code="EGAL20", restaurant_id=restaurant_id, funded_by="restaurant")

    session, summary = await ussd_with_code(chopbar, FR, "egal20")  # typed as people type it
    assert "Code EGAL20 -800 FCFA" in summary and "Repas 4 000 FCFA" in summary
    end = await pick(session, "Confirmer")
    by_ussd = end.split()[1].rstrip(":")

    await text(chopbar, FR, "MENU bastos")
    await text(chopbar, FR, f"COMMANDE 1 {poulet.position} PROMO EGAL20 ESPECES")
    priced = await last(chopbar, FR)
    assert "Repas 4 000 FCFA" in priced and "- 800 FCFA" in priced and "Répondez OUI" in priced
    await text(chopbar, FR, "OUI")
    by_sms = (await last(chopbar, FR)).split()[1]

    placed = await place(chopbar, customer, order_body(restaurant_id, poulet.id, "EGAL20"))
    assert placed.status == 201, await placed.text()
    by_rest = (await placed.json())["code"]
    assert (await placed.json())["discount_xaf"] == 800

    async with chopbar.app[DATABASE].unit() as unit:
        orders = [await unit.session.scalar(select(Order).where(Order.code == c)) for c in (by_ussd, by_sms, by_rest)]
        promo = await unit.session.scalar(select(PromoCode).where(PromoCode.code == "EGAL20"))
    assert [o.channel for o in orders] == ["ussd", "sms", "app"]
    assert {(o.subtotal_xaf, o.delivery_fee_xaf, o.discount_xaf, o.total_xaf, o.discount_funder) for o in orders} == {
        (4000, orders[0].delivery_fee_xaf, 800, 3200 + orders[0].delivery_fee_xaf, "restaurant")}
    assert promo.uses == 3 and all(o.promo_code_id == promo.id for o in orders)
    splits = [await split_of(chopbar, o.code) for o in orders]
    assert splits[0] == splits[1] == splits[2]
    commission = 400  # 10 % of the food at its menu price: Maman Ngo is over 500 orders
    assert splits[0]["restaurant"] == -(4000 - commission - 800)  # the restaurant pays its code
    assert splits[0]["platform"] == -commission and splits[0]["driver"] == -orders[0].delivery_fee_xaf


@pytest.mark.parametrize("phone, expired, unknown", [
    (FR, "Ce code promo a expiré.", "Ce code promo n'existe pas."),
    (EN, "This promo code has expired.", "This promo code does not exist."),
])
async def test_an_expired_or_unknown_code_is_refused_on_ussd_and_sms_in_the_callers_language(chopbar, phone, expired, unknown):
    session, shown = await ussd_with_code(chopbar, phone, "RENTREE")
    assert not session.last.ended and expired.replace("é", "e") in shown  # USSD is ASCII
    shown = (await session.press("NOPE42")).text
    assert unknown in shown
    await session.press("0")  # back to the summary: the price without a code
    assert "Total" in session.last.text and "Code RENTREE" not in session.last.text and "NOPE" not in session.last.text

    await text(chopbar, phone, "MENU bastos")
    await text(chopbar, phone, "ORDER 1 2 PROMO RENTREE CASH")
    reply = await last(chopbar, phone)
    assert reply.startswith(expired) and ("Reply YES" in reply or "Répondez OUI" in reply)
    await text(chopbar, phone, "YES" if phone == EN else "OUI")
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.channel == "sms"))
    assert order.discount_xaf == 0 and order.promo_code_id is None  # placed at the full price, as the reply said


@pytest.mark.parametrize("phone, language", [(FR, "fr"), (EN, "en")])
async def test_every_limit_of_a_code_is_refused_over_rest(chopbar, phone, language):
    admin, customer = await sign_in(chopbar, ADMIN), await sign_in(chopbar, phone)
    restaurant_id, poulet, cheap = await maman_ngo(chopbar)
    await admin_code(chopbar, admin, code="UNEFOIS", per_customer_limit=1)
    await admin_code(chopbar, admin, code="DEMAIN", starts_at="2026-12-25T00:00:00Z")
    await admin_code(chopbar, admin, code="PREMIER", first_order_only=True)

    def refused(status_body, reason_text):
        status, body = status_body
        assert status == 400 and body["error"]["code"] == "promo_refused", body
        assert body["error"]["message"] == reason_text[language], body

    ok = await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "UNEFOIS"))
    assert ok == (200, {"subtotal_xaf": 4000, "delivery_fee_xaf": ok[1]["delivery_fee_xaf"], "discount_xaf": 800,
                        "discount_from": "promo_code", "promo_code": "UNEFOIS", "discount_funded_by": "platform",
                        "points_spent": 0, "points_xaf": 0, "points_held": 0, "points_usable": 0,
                        "total_xaf": 3200 + ok[1]["delivery_fee_xaf"]})
    assert (await place(chopbar, customer, order_body(restaurant_id, poulet.id, "UNEFOIS"))).status == 201
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "UNEFOIS")),
            {"fr": "Vous avez déjà utilisé ce code promo.", "en": "You have already used this promo code."})
    second = await place(chopbar, customer, order_body(restaurant_id, poulet.id, "UNEFOIS"))
    assert second.status == 400 and (await second.json())["error"]["code"] == "promo_refused"
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "PREMIER")),
            {"fr": "Ce code promo est réservé à une première commande.", "en": "This promo code is for a first order only."})
    refused(await quote(chopbar, customer, order_body(restaurant_id, cheap.id, "NGO500")),
            {"fr": "Vos plats n'atteignent pas le minimum de ce code promo.", "en": "Your food is under this promo code's minimum."})
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "RENTREE")),
            {"fr": "Ce code promo a expiré.", "en": "This promo code has expired."})
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "DEMAIN")),
            {"fr": "Ce code promo n'est pas encore valable.", "en": "This promo code is not valid yet."})
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "LIVRAISON", pickup=True)),
            {"fr": "Ce code promo est réservé aux livraisons.", "en": "This promo code is for delivery orders only."})
    async with chopbar.app[DATABASE].unit() as unit:
        essos = await demo.restaurant(unit, "saveurs-essos")
        dish = await demo.dish(unit, essos.id, with_options=False)
    refused(await quote(chopbar, customer, order_body(essos.id, dish.id, "NGO500", quantity=3)),
            {"fr": "Ce code promo n'est pas valable dans ce restaurant.", "en": "This promo code is not valid at this restaurant."})
    refused(await quote(chopbar, customer, order_body(restaurant_id, poulet.id, "nope")),
            {"fr": "Ce code promo n'existe pas.", "en": "This promo code does not exist."})


async def test_two_customers_racing_for_the_last_use_get_one_discount_between_them(chopbar):
    admin = await sign_in(chopbar, ADMIN)
    first, second = await sign_in(chopbar, FR), await sign_in(chopbar, EN)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    await admin_code(chopbar, admin, code="DERNIER", total_limit=1)
    answers = await asyncio.gather(*(place(chopbar, t, order_body(restaurant_id, poulet.id, "DERNIER")) for t in (first, second)))
    assert sorted(a.status for a in answers) == [201, 400]
    refusal = await next(a for a in answers if a.status == 400).json()
    assert refusal["error"]["code"] == "promo_refused"
    async with chopbar.app[DATABASE].unit() as unit:
        promo = await unit.session.scalar(select(PromoCode).where(PromoCode.code == "DERNIER"))
        held = list(await unit.session.scalars(select(Order).where(Order.promo_code_id == promo.id)))
    assert promo.uses == 1 and len(held) == 1 and held[0].discount_xaf == 800


async def test_a_cancelled_order_gives_its_use_back(chopbar):
    admin, first, second = await sign_in(chopbar, ADMIN), await sign_in(chopbar, FR), await sign_in(chopbar, EN)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    await admin_code(chopbar, admin, code="RETOUR", total_limit=1)
    code = (await (await place(chopbar, first, order_body(restaurant_id, poulet.id, "RETOUR"))).json())["code"]
    assert (await quote(chopbar, second, order_body(restaurant_id, poulet.id, "RETOUR")))[0] == 400
    assert (await chopbar.post(f"/api/v1/orders/{code}/cancel", headers=bearer(first))).status == 200
    assert (await quote(chopbar, second, order_body(restaurant_id, poulet.id, "RETOUR")))[0] == 200
    assert (await place(chopbar, second, order_body(restaurant_id, poulet.id, "RETOUR"))).status == 201


async def test_the_funder_pays_the_discount_and_the_driver_keeps_the_whole_fee(chopbar):
    admin, customer = await sign_in(chopbar, ADMIN), await sign_in(chopbar, FR)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    await admin_code(chopbar, admin, code="OFFERT", value=25)  # platform-funded
    platform = (await (await place(chopbar, customer, order_body(restaurant_id, poulet.id, "OFFERT"))).json())
    free = (await (await place(chopbar, customer, order_body(restaurant_id, poulet.id, "LIVRAISON"))).json())
    assert platform["discount_xaf"] == 1000 and platform["total_xaf"] == 3000 + platform["delivery_fee_xaf"]
    assert free["discount_xaf"] == free["delivery_fee_xaf"] and free["total_xaf"] == 4000
    paid = await split_of(chopbar, platform["code"])
    assert paid == {"escrow": 3000 + platform["delivery_fee_xaf"], "restaurant": -3600, "platform": -400 + 1000,
                    "driver": -platform["delivery_fee_xaf"]}
    delivered = await split_of(chopbar, free["code"])
    assert delivered == {"escrow": 4000, "restaurant": -3600, "platform": -400 + free["delivery_fee_xaf"],
                         "driver": -free["delivery_fee_xaf"]}


async def test_the_apps_cart_checks_out_with_a_code(chopbar):
    customer = await sign_in(chopbar, EN)
    restaurant_id, poulet, _ = await maman_ngo(chopbar)
    filled = await chopbar.put("/api/v1/cart", json={"restaurant_id": restaurant_id, "lines": [{"item_id": poulet.id, "quantity": 2}]},
                               headers=bearer(customer))
    assert filled.status == 200
    checkout = {"fulfilment": "delivery", "address": {"quarter": "Biyem-Assi", "landmark": "Near Total Biyem-Assi"},
                "payment_method": "cash"}
    refused = await chopbar.post("/api/v1/cart/checkout", json={**checkout, "promo_code": "RENTREE"},
                                 headers={**bearer(customer), "Idempotency-Key": "cart-1"})
    assert refused.status == 400 and (await refused.json())["error"]["message"] == "This promo code has expired."
    placed = await chopbar.post("/api/v1/cart/checkout", json={**checkout, "promo_code": "livraison"},
                                headers={**bearer(customer), "Idempotency-Key": "cart-2"})
    order = await placed.json()
    assert placed.status == 201 and order["discount_xaf"] == order["delivery_fee_xaf"] > 0 and order["total_xaf"] == 8000
    assert (await (await chopbar.get("/api/v1/cart", headers=bearer(customer))).json())["lines"] == []
