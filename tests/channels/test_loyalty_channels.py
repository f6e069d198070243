"""Loyalty across channels over HTTP, in English and French: points spent on one channel are gone
on the others and come back when the order is cancelled or rejected; a refund takes earned points
back; a friend invited by SMS brings both of them points with their first paid order."""
import json

from sqlalchemy import select

from channels.keys import DATABASE
from core import ledger
from core.models import Account, LedgerEntry, Order, Restaurant
from tests import demo
from tests.channels.test_api_admin import SUPPORT, signed_in
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_ordering import menu_item, order_body
from tests.channels.test_delivery_by_sms import dispatch, offered_to, online
from tests.channels.test_payments_over_http import MTN_CUSTOMER, paid_momo_order, settle, ussd_order
from tests.channels.test_ussd_africastalking import order_basket
from tests.channels.test_whatsapp import choices, say, screen
from tests.loyalty import give_points, points_of
from tests.sms import inbox, last, text
from tests.ussd import gateway_for, pick
from core.sealing import blind

RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


async def order_of(chopbar, code: str) -> Order:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(Order).where(Order.code == code))


async def test_points_spent_by_ussd_are_gone_by_sms_and_the_app_and_back_on_a_cancel_in_english(chopbar):
    phone = demo.CUSTOMER_EN.phone
    account_id = await give_points(chopbar, phone, 400)
    session = gateway_for(chopbar).dial(phone)
    await session.open()
    await order_basket(session, "Chez Maman Ngo")
    await pick(session, "Checkout")
    await pick(session, "Deliver to me")
    await session.press("1")
    await pick(session, "Cash on delivery")
    assert "Use 400 points (-2,000 FCFA)" in session.last.text
    with_points = await pick(session, "Use 400 points")
    assert "Points -2,000 FCFA" in with_points and "Pay without points" in with_points
    assert len(with_points) <= 164  # "CON " and 160
    end = await pick(session, "Confirm")
    code = end.split()[1]
    order = await order_of(chopbar, code)
    assert (order.points_spent, order.points_xaf) == (400, 2000)
    assert order.total_xaf == order.subtotal_xaf + order.delivery_fee_xaf - 2000

    await text(chopbar, phone, "POINTS")
    assert (await last(chopbar, phone)).startswith("You have no points yet")
    tokens = await sign_in(chopbar, phone)
    mine = await (await chopbar.get("/api/v1/me/loyalty", headers=bearer(tokens))).json()
    assert mine["points"] == 0 and mine["movements"][0] == {**mine["movements"][0], "kind": "spend", "points": -400,
                                                            "order_code": code}
    account = await (await chopbar.get(f"/api/v1/orders/{code}", headers=bearer(tokens))).json()
    assert (account["points_spent"], account["points_xaf"]) == (400, 2000)

    await text(chopbar, phone, f"CANCEL {code}")
    assert await points_of(chopbar, account_id) == 400
    await text(chopbar, phone, "POINTS")
    assert (await last(chopbar, phone)).startswith("You have 400 points (2,000 FCFA off food), tier Bronze.")


async def test_points_spent_by_sms_are_gone_on_ussd_and_back_when_the_restaurant_rejects_in_french(chopbar):
    phone = demo.CUSTOMER_FR.phone
    account_id = await give_points(chopbar, phone, 300)
    await text(chopbar, phone, "MENU")
    await text(chopbar, phone, "MENU 1")
    await text(chopbar, phone, "COMMANDE 1 2x2 POINTS ESPECES")
    quote = await last(chopbar, phone)
    assert "300 points 1 500 FCFA" in quote and "Répondez OUI" in quote, quote
    await text(chopbar, phone, "OUI")
    placed = await last(chopbar, phone)
    code = placed.split()[1]
    assert (await order_of(chopbar, code)).points_spent == 300
    assert await points_of(chopbar, account_id) == 0

    session = gateway_for(chopbar).dial(phone)
    await session.open()
    account = await pick(session, "Mon compte")
    assert "Points: 0 (0 FCFA sur les repas)" in account and "Niveau: Bronze" in account

    async with chopbar.app[DATABASE].unit() as unit:
        console = (await unit.session.get(Restaurant, (await order_of(chopbar, code)).restaurant_id)).phone
    await text(chopbar, console, f"NON {code} plus de poulet")
    assert (await order_of(chopbar, code)).status == "REJECTED"
    assert await points_of(chopbar, account_id) == 300
    await text(chopbar, phone, "POINTS")
    assert (await last(chopbar, phone)).startswith("Vous avez 300 points (1 500 FCFA sur les repas), niveau Bronze.")


async def test_yes_points_spends_them_at_the_confirmation_and_too_few_points_are_refused(chopbar):
    phone = demo.CUSTOMER_FR.phone
    await give_points(chopbar, phone, 60)  # fewer than the least one may spend
    await text(chopbar, phone, "MENU")
    await text(chopbar, phone, "MENU 1")
    await text(chopbar, phone, "COMMANDE 1 2x2 ESPECES")
    await text(chopbar, phone, "OUI POINTS")
    assert (await last(chopbar, phone)).startswith("Pas de points sur cette commande: vous en avez 60, il en faut au moins 100.")
    account_id = await give_points(chopbar, phone, 100)
    await text(chopbar, phone, "OUI POINTS")
    code = (await last(chopbar, phone)).split()[1]
    assert (await order_of(chopbar, code)).points_spent == 160
    assert await points_of(chopbar, account_id) == 0


async def test_a_paid_order_earns_points_and_support_refunding_it_takes_them_back(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    order = await order_of(chopbar, code)
    earned = order.total_xaf // 100
    assert await points_of(chopbar, order.account_id) == earned
    support = await signed_in(chopbar, SUPPORT)
    refund = await chopbar.post(f"/api/v1/admin/orders/{code}/refund", json={"amount_xaf": order.total_xaf // 2, "reason": "cold"},
                                headers={**support, "Idempotency-Key": "half"})
    assert refund.status == 200, await refund.text()
    assert await points_of(chopbar, order.account_id) == earned - earned // 2
    await settle(worker, book)
    rest = await chopbar.post(f"/api/v1/admin/orders/{code}/refund", json={"reason": "all"},
                              headers={**support, "Idempotency-Key": "rest"})
    assert rest.status == 200, await rest.text()
    assert await points_of(chopbar, order.account_id) == 0


async def test_a_delivered_order_paid_partly_in_points_pays_the_restaurant_and_driver_in_full(chopbar):
    phone = demo.CUSTOMER_EN.phone
    await give_points(chopbar, phone, 400)
    tokens = await sign_in(chopbar, phone)
    restaurant_id, item_id = await menu_item(chopbar)
    placed = await chopbar.post("/api/v1/orders", json={**order_body(restaurant_id, item_id), "points": 400},
                                headers={**bearer(tokens), "Idempotency-Key": "deliver-points"})
    code = (await placed.json())["code"]
    await online(chopbar)
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    await text(chopbar, driver, f"TAKE {code}")
    await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, driver, f"PICKUP {code}")
    await text(chopbar, driver, f"DONE {code} {(await order_of(chopbar, code)).handover_code}")
    order = await order_of(chopbar, code)
    assert order.status == "COMPLETED" and order.points_xaf == 2000
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.is_balanced(unit)
        driver_id = await unit.session.scalar(select(Account.id).where(Account.phone_key == blind(driver)))
        legs: dict[str, int] = {}  # the platform may have several legs: its commission, what it pays
        for e in await unit.session.scalars(
                select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == "delivery_split")):
            legs[e.ledger_account] = legs.get(e.ledger_account, 0) + e.amount_xaf
    assert -legs[f"driver:{driver_id}"] == order.delivery_fee_xaf
    restaurant_share, platform_share = -legs[f"restaurant:{order.restaurant_id}"], -legs.get("platform", 0)
    assert restaurant_share + platform_share + 2000 == order.subtotal_xaf  # the platform paid the points
    assert legs[f"escrow:order:{code}"] == order.total_xaf


async def test_an_invited_friend_gets_one_sms_and_both_get_points_after_their_first_paid_order(chopbar, worker, book):
    friend = "+237677555091"
    await text(chopbar, MTN_CUSTOMER, "INVITE 6 77 55 50 91")
    assert (await last(chopbar, MTN_CUSTOMER)).startswith("Invitation sent to 6 77 55 50 91.")
    invitation = await inbox(chopbar, friend)
    assert len(invitation) == 1 and "vous invite sur Chopbar" in invitation[0]  # the default language: French
    await text(chopbar, MTN_CUSTOMER, "INVITE 677555091")
    assert (await last(chopbar, MTN_CUSTOMER)).startswith("6 77 55 50 91 was invited already")
    await text(chopbar, MTN_CUSTOMER, f"INVITE {MTN_CUSTOMER}")
    assert (await last(chopbar, MTN_CUSTOMER)).startswith("That is your own number.")
    await text(chopbar, MTN_CUSTOMER, f"INVITE {demo.CUSTOMER_FR.phone}")
    assert "already knows Chopbar" in await last(chopbar, MTN_CUSTOMER)
    await text(chopbar, MTN_CUSTOMER, "INVITE 12")
    assert (await last(chopbar, MTN_CUSTOMER)).startswith("12 is not a mobile number.")

    code = await ussd_order(chopbar, friend, "MTN Mobile Money")
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": friend})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    order = await order_of(chopbar, code)
    assert order.status == "PENDING_RESTAURANT"
    async with chopbar.app[DATABASE].unit() as unit:
        inviter = (await demo.account(unit, MTN_CUSTOMER)).id
    assert await points_of(chopbar, inviter) == 200
    assert (await last(chopbar, MTN_CUSTOMER)).startswith("Your friend 6 77 55 50 91 paid their first Chopbar order: 200 points")
    assert await points_of(chopbar, order.account_id) == 200 + order.total_xaf // 100
    tokens = await sign_in(chopbar, friend)
    mine = await (await chopbar.get("/api/v1/me/loyalty", headers=bearer(tokens))).json()
    assert {m["kind"] for m in mine["movements"]} == {"earn", "referral"}


async def test_whatsapp_offers_the_points_on_the_same_summary_in_french(chopbar):
    phone = demo.CUSTOMER_FR.phone
    account_id = await give_points(chopbar, phone, 300)
    await say(chopbar, phone, text="Bonjour")
    for title in ("Commander", "Yaounde", "Chez Maman Ngo", "Plats", "Poulet DG"):
        await tap_for(chopbar, phone, title)
    part = await screen(chopbar, phone)
    while part["type"] == "interactive" and "(1-20)" not in json.dumps(part, ensure_ascii=False):
        await say(chopbar, phone, reply_id=next(iter(choices(part).values())))
        part = await screen(chopbar, phone)
    await say(chopbar, phone, text="2")
    for title in ("Valider", "emporter", "comptoir"):
        await tap_for(chopbar, phone, title)
    summary = await tap_for(chopbar, phone, "Utiliser 300 points")
    assert "Points -1 500 FCFA" in summary["interactive"]["body"]["text"]
    end = await tap_for(chopbar, phone, "Confirmer")
    code = end["text"]["body"].split()[1]
    order = await order_of(chopbar, code)
    assert (order.channel, order.points_spent, order.points_xaf) == ("whatsapp", 300, 1500)
    assert await points_of(chopbar, account_id) == 0


async def tap_for(chopbar, phone: str, title: str) -> dict:
    options = choices(await screen(chopbar, phone))
    match = next((i for t, i in options.items() if title.lower() in t.lower()), None)
    assert match is not None, f"{title!r} not in {list(options)}"
    await say(chopbar, phone, reply_id=match, reply_title=title)
    return await screen(chopbar, phone)


async def test_my_account_on_ussd_shows_the_points_and_invites_a_friend_in_english(chopbar):
    phone = demo.CUSTOMER_EN.phone
    await give_points(chopbar, phone, 320)
    session = gateway_for(chopbar).dial(phone)
    await session.open()
    account = await pick(session, "My account")
    assert "Points: 320 (1,600 FCFA off food)" in account and "Tier: Bronze" in account
    await pick(session, "Invite a friend")
    refused = await session.press(phone.removeprefix("+237"))
    assert "That is your own number." in refused.text and not session.last.ended
    end = await session.press("699 55 50 77")
    assert session.last.ended and end.text.startswith("Invitation sent to 6 99 55 50 77 by SMS.")
    assert len(await inbox(chopbar, "+237699555077")) == 1


async def test_points_spent_in_the_app_while_the_ussd_summary_offers_them_are_not_spent_twice(chopbar):
    phone = demo.CUSTOMER_EN.phone
    account_id = await give_points(chopbar, phone, 300)
    session = gateway_for(chopbar).dial(phone)
    await session.open()
    await order_basket(session, "Chez Maman Ngo")
    await pick(session, "Checkout")
    await pick(session, "collect")
    await pick(session, "Cash at the counter")
    await pick(session, "Use 300 points")
    tokens = await sign_in(chopbar, phone)
    restaurant_id, item_id = await menu_item(chopbar)
    in_app = await chopbar.post("/api/v1/orders", json={**order_body(restaurant_id, item_id), "points": 300},
                                headers={**bearer(tokens), "Idempotency-Key": "meanwhile"})
    assert in_app.status == 201
    refused = await pick(session, "Confirm")
    assert not session.last.ended and "Your points were used meanwhile" in refused
    assert "Pay without points" not in refused and "Use " not in refused
    end = await pick(session, "Confirm")
    order = await order_of(chopbar, end.split()[1])
    assert order.points_spent == 0 and order.total_xaf == order.subtotal_xaf
    assert await points_of(chopbar, account_id) == 0
