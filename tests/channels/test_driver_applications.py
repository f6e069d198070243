"""Drivers apply by SMS or the app; support approves, refuses, suspends and reactivates them, and
each decision reaches the driver by SMS in their language; a suspended driver is offered nothing."""
from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Account, AuditEvent, Driver
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_delivery_by_sms import YAOUNDE_DRIVERS, accepted_order, dispatch, offered_to, online
from tests.sms import last, text
from tests.ussd import gateway_for, pick
from core.sealing import blind

NEW_NUMBER = "+237699123456"  # nobody yet: French, the default language


async def driver_row(chopbar, phone: str) -> Driver | None:
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(Driver).join(Account).where(Account.phone_key == blind(phone)))


async def listed(chopbar, headers, status: str) -> list[str]:
    response = await chopbar.get("/api/v1/admin/drivers", params={"status": status}, headers=headers)
    assert response.status == 200, await response.text()
    return [d["phone"] for d in (await response.json())["items"]]


async def decide(chopbar, headers, phone: str, trigger: str, reason: str | None = None):
    driver = await driver_row(chopbar, phone)
    body = {"reason": reason} if reason else {}
    return await chopbar.post(f"/api/v1/admin/drivers/{driver.account_id}/{trigger}", json=body, headers=headers)


async def test_a_new_number_applies_in_french_and_is_approved_then_goes_online(chopbar):
    await text(chopbar, NEW_NUMBER, "LIVREUR Aimé Ndongo Bastos")
    assert await last(chopbar, NEW_NUMBER) == (
        "Merci Aimé: votre candidature de livreur à Bastos est reçue. Nous vous répondrons par SMS."
    )
    applied = await driver_row(chopbar, NEW_NUMBER)
    assert (applied.status, applied.city, applied.zone, applied.account.name) == ("APPLIED", "Yaounde", ["Bastos"], "Aimé Ndongo")
    await text(chopbar, NEW_NUMBER, "ON")  # not a driver yet: the customer's grammar
    assert "pas compris" in await last(chopbar, NEW_NUMBER)
    await text(chopbar, NEW_NUMBER, "livreur Aimé Ndongo Bastos")
    assert "à l'étude" in await last(chopbar, NEW_NUMBER)

    support = await signed_in(chopbar, SUPPORT)
    assert NEW_NUMBER in await listed(chopbar, support, "applied")
    approved = await decide(chopbar, support, NEW_NUMBER, "approve")
    assert approved.status == 200 and (await approved.json())["status"] == "approved"
    assert await last(chopbar, NEW_NUMBER) == (
        "Chopbar: vous êtes accepté comme livreur. Envoyez ON pour recevoir des courses, AIDE pour les mots-clés."
    )
    assert NEW_NUMBER in await listed(chopbar, support, "approved")
    assert (await decide(chopbar, support, NEW_NUMBER, "approve")).status == 409
    await text(chopbar, NEW_NUMBER, "ON")
    assert "en ligne" in await last(chopbar, NEW_NUMBER)
    row = await driver_row(chopbar, NEW_NUMBER)
    assert row.online and row.account.has_role("driver")


async def test_an_english_customer_applies_and_is_refused_with_the_reason_in_english(chopbar):
    phone = demo.CUSTOMER_EN.phone
    await text(chopbar, phone, "DRIVER Ngozi Tabi Biyem-Assi")
    assert await last(chopbar, phone) == (
        "Thank you Ngozi: your application to deliver in Biyem-Assi is received. We will tell you by SMS."
    )
    admin = await signed_in(chopbar, ADMIN)
    assert (await decide(chopbar, admin, phone, "refuse")).status == 400  # a refusal says why
    refused = await decide(chopbar, admin, phone, "refuse", "no licence yet")
    assert refused.status == 200 and (await refused.json())["status_reason"] == "no licence yet"
    assert await last(chopbar, phone) == "Chopbar: your driver application was not accepted (no licence yet)."
    await text(chopbar, phone, "MENU")
    assert "Restaurants near" in await last(chopbar, phone)  # still a customer
    await text(chopbar, phone, "DRIVER Ngozi Tabi Biyem Assi")  # later, with a licence
    assert (await driver_row(chopbar, phone)).status == "APPLIED"


async def test_an_application_that_does_not_read_says_what_to_send(chopbar):
    await text(chopbar, NEW_NUMBER, "LIVREUR")
    assert (await last(chopbar, NEW_NUMBER)).startswith("Pour livrer avec Chopbar envoyez LIVREUR <votre nom> <quartier>")
    await text(chopbar, NEW_NUMBER, "LIVREUR Paul Abena Atlantis")
    assert (await last(chopbar, NEW_NUMBER)).startswith("Nous ne connaissons pas le quartier")
    assert await driver_row(chopbar, NEW_NUMBER) is None


async def test_a_suspended_driver_is_offered_nothing_and_told_why_on_on_and_take(chopbar):
    suspended, others = YAOUNDE_DRIVERS[0].phone, YAOUNDE_DRIVERS[1:]
    await online(chopbar)
    support = await signed_in(chopbar, SUPPORT)
    response = await decide(chopbar, support, suspended, "suspend", "late three times")
    assert response.status == 200 and (await response.json())["online"] is False
    assert await last(chopbar, suspended) == (
        "Chopbar: votre compte livreur est suspendu (late three times). Plus de courses. SMS AIDE <texte> pour nous écrire."
    )
    code = await accepted_order(chopbar)
    assert await dispatch(chopbar) == len(others)
    assert suspended not in await offered_to(chopbar)
    for message in ("ON", f"PRENDRE {code}"):
        await text(chopbar, suspended, message)
        assert await last(chopbar, suspended) == (
            "Votre compte livreur est suspendu (late three times): pas de courses pour l'instant. "
            "SMS AIDE <texte> pour nous écrire."
        )
    assert not (await driver_row(chopbar, suspended)).online
    assert (await decide(chopbar, support, suspended, "suspend", "again")).status == 409
    assert (await decide(chopbar, support, suspended, "reactivate")).status == 200
    assert "de nouveau actif" in await last(chopbar, suspended)
    await text(chopbar, suspended, "ON")
    assert "en ligne" in await last(chopbar, suspended)
    filed_under = str((await driver_row(chopbar, suspended)).account_id)  # an account id, never a number
    async with chopbar.app[DATABASE].unit() as unit:
        rows = await unit.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "driver", AuditEvent.entity_ref == filed_under).order_by(AuditEvent.id)
        )
        assert [(e.trigger, e.from_state, e.to_state, e.reason) for e in rows] == [
            ("suspend", "APPROVED", "SUSPENDED", "late three times"), ("reactivate", "SUSPENDED", "APPROVED", None),
        ]


async def test_a_signed_in_customer_applies_over_rest(chopbar):
    headers = await signed_in(chopbar, demo.CUSTOMER_FR.phone)
    body = {"name": "Aline Mbarga", "city": "Yaounde", "quarters": ["bastos", "Etoudi", "Bastos"], "language": "en"}
    response = await chopbar.post("/api/v1/driver-applications", json=body, headers=headers)
    assert response.status == 201, await response.text()
    applied = await response.json()
    assert (applied["phone"], applied["status"], applied["zone"]) == (demo.CUSTOMER_FR.phone, "applied", ["Bastos", "Etoudi"])
    again = await chopbar.post("/api/v1/driver-applications", json=body, headers=headers)
    assert again.status == 409
    other = await signed_in(chopbar, demo.CUSTOMER_EN.phone)
    for junk in ({**body, "quarters": ["Atlantis"]}, {**body, "city": "Paris"}, {**body, "quarters": []},
                 {**body, "name": "x"}, {**body, "language": "de"}, {"name": "Ngozi"}):
        bad = await chopbar.post("/api/v1/driver-applications", json=junk, headers=other)
        assert bad.status == 400, (junk, await bad.text())
    assert (await chopbar.post("/api/v1/driver-applications", json=body)).status == 401


DRIVER_ENDPOINTS = [
    ("GET", "/api/v1/admin/drivers", None),
    ("POST", "/api/v1/admin/drivers/1/approve", {}),
    ("POST", "/api/v1/admin/drivers/1/refuse", {"reason": "x"}),
    ("POST", "/api/v1/admin/drivers/1/suspend", {"reason": "x"}),
    ("POST", "/api/v1/admin/drivers/1/reactivate", {}),
]


async def test_only_support_and_admins_decide_on_drivers(chopbar):
    for phone in (demo.CUSTOMER_FR.phone, demo.ALL_DAY_YAOUNDE.phone, YAOUNDE_DRIVERS[0].phone):
        headers = await signed_in(chopbar, phone)
        for method, path, body in DRIVER_ENDPOINTS:
            response = await chopbar.request(method, path, json=body, headers=headers)
            assert response.status == 403, (phone, path, await response.text())
    for method, path, body in DRIVER_ENDPOINTS:
        assert (await chopbar.request(method, path, json=body)).status == 401
    support = await signed_in(chopbar, SUPPORT)
    assert (await chopbar.post("/api/v1/admin/drivers/999999/approve", json={}, headers=support)).status == 404
    assert (await chopbar.get("/api/v1/admin/drivers", params={"status": "fired"}, headers=support)).status == 400


async def test_on_ussd_an_applicant_has_the_customer_menu_and_a_suspended_driver_cannot_go_online(chopbar):
    await text(chopbar, NEW_NUMBER, "LIVREUR Aimé Ndongo Bastos")
    applicant = gateway_for(chopbar).dial(NEW_NUMBER)
    assert (await applicant.open()).text.startswith("Chopbar: que voulez-vous?")
    suspended = YAOUNDE_DRIVERS[0].phone
    support = await signed_in(chopbar, SUPPORT)
    await decide(chopbar, support, suspended, "suspend", "late three times")
    session = gateway_for(chopbar).dial(suspended)
    assert (await session.open()).text.startswith("Chopbar livreur")
    refused = await pick(session, "Passer en ligne")
    assert refused.startswith("Compte livreur suspendu: pas de courses.") and "hors ligne" in refused
    assert not (await driver_row(chopbar, suspended)).online


async def test_a_driver_or_a_restaurant_console_applying_is_told_why_not(chopbar):
    await text(chopbar, YAOUNDE_DRIVERS[0].phone, "LIVREUR Brice Essomba Bastos")
    assert await last(chopbar, YAOUNDE_DRIVERS[0].phone) == (
        "Ce numéro est déjà celui d'un livreur Chopbar. Envoyez AIDE pour les mots-clés."
    )
    await text(chopbar, demo.ALL_DAY_YAOUNDE.phone, "DRIVER Maman Ngo Bastos")
    assert (await last(chopbar, demo.ALL_DAY_YAOUNDE.phone)).startswith("Ce numéro est la console d'un restaurant")
    assert await driver_row(chopbar, demo.ALL_DAY_YAOUNDE.phone) is None
