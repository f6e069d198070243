"""The operator's walk, from an empty deployment to money paid out, over HTTP as every outside
system sees it: the gazetteer and a first admin made with the CLI; an owner applies and is
approved; the menu is built over REST and by CSV; a customer orders by USSD and pays by MTN MoMo;
the restaurant accepts by SMS from a staff number; a driver who applied by SMS and was approved
delivers; the daily payout pays the restaurant and the driver exactly once, in the ledger and at
the providers' simulators, also when the payout worker is killed after the providers took the
transfers and run again."""
from datetime import time

import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.jobs import PaymentJobs
from channels.payments.payouts import PayoutJobs
from chopbar.app import create_app
from chopbar.providers import payment_router, payout_sender
from core import ledger
from core.delivery import DispatchRules, dispatch_due
from core.models import Order, Payout, Restaurant
from core.payouts import PayoutRules
from core.use_cases import paying_out
from tests.channels.test_api_auth import bearer, sign_in
from tests.channels.test_api_shopping import keyed
from tests.channels.test_payments_over_http import settle
from tests.channels.test_payouts import (
    DiesAfterTheProviderAccepts, messages, payout_movements, send_all, transfers_to,
)
from tests.sms import last, text
from tests.test_cli import cli
from tests.ussd import gateway_for, pick

ADMIN = "+237677000777"
OWNER = "+237699555001"  # an Orange number: CamPay pays the restaurant
CONSOLE, STAFF = "+237699555010", "+237655555013"
DRIVER = "+237670555020"  # an MTN number: MTN Disbursements pays the driver
CUSTOMER = "+237677555030"
WEEK = [{"weekday": day, "opens": "08:00", "closes": "23:00"} for day in range(7)]
RULES = PayoutRules(approval_above_xaf=200_000, minimum_xaf=100, max_attempts=3)
MORE_DISHES = (
    "Traditionnel;Traditional;Ndolé complet;Full ndole;Ndolé, plantain et miondo;Ndole, plantain and miondo;3 000;oui"
)


@pytest.fixture
def empty_url(databases):
    url = databases.fresh(seeded=False)
    yield url
    databases.drop(url)


@pytest.fixture
async def service(empty_url, aiohttp_server, aiohttp_client, settings, clock):
    """What an operator has after the README's first steps: a migrated database holding the
    gazetteer and one admin, and the service started on it with the demo data off."""
    seeded = cli(empty_url, "seed", "--gazetteer")
    assert seeded.returncode == 0, seeded.stderr
    made = cli(empty_url, "admin", ADMIN)
    assert made.returncode == 0 and "is now an admin" in made.stdout, made.stderr
    ours = settings.model_copy(update={"database_url": empty_url, "seed_demo": False})
    server = await aiohttp_server(create_app(ours, clock=clock), host="127.0.0.1", port=ours.port)
    return await aiohttp_client(server)


async def ok(answer, status: int = 200) -> dict:
    assert answer.status == status, await answer.text()
    return await answer.json() if answer.content_type == "application/json" else {}


async def open_restaurant(service, admin: dict) -> int:
    applicant = await sign_in(service, OWNER)
    made = await ok(await service.post("/api/v1/restaurant-applications", headers=bearer(applicant), json={
        "name": "Chez Tante Rose", "city": "Yaounde", "quarter": "bastos", "landmark": "behind the Total station",
        "console_phone": CONSOLE, "people": [{"phone": STAFF, "role": "staff"}], "hours": WEEK,
        "cuisine": "Cameroonian", "language": "fr",
    }), 201)
    restaurant_id = made["restaurant_id"]
    await ok(await service.post(f"/api/v1/admin/restaurants/{restaurant_id}/approve", json={}, headers=bearer(admin)))
    assert "est validé" in await last(service, OWNER)
    return restaurant_id


async def build_menu(service, restaurant_id: int) -> None:
    owner = await sign_in(service, OWNER)  # a new sign-in carries the owner role
    base = f"/api/v1/restaurants/{restaurant_id}/menu"
    plates = await ok(await service.post(f"{base}/categories", json={"name_fr": "Plats", "name_en": "Plates"},
                                         headers=keyed(owner, "plates")), 201)
    await ok(await service.post(f"{base}/dishes", headers=keyed(owner, "dg"), json={
        "category_id": plates["id"], "name_fr": "Poulet DG", "name_en": "Chicken DG", "price_xaf": 4_500,
    }), 201)
    exported = await service.get(f"{base}.csv", params={"separator": "semicolon"}, headers=bearer(owner))
    sheet = (await exported.text()).rstrip("\r\n") + "\r\n" + MORE_DISHES + "\r\n"
    await ok(await service.put(f"{base}.csv", data=sheet.encode(), headers={**bearer(owner), "Content-Type": "text/csv"}))
    menu = await ok(await service.get(f"{base}/editable", headers=bearer(owner)))
    assert sorted(d["name_fr"] for c in menu["categories"] for d in c["dishes"]) == ["Ndolé complet", "Poulet DG"]


async def hire_driver(service, admin: dict) -> int:
    await text(service, DRIVER, "LIVREUR Paul Abena Bastos")
    applied = await ok(await service.get("/api/v1/admin/drivers", params={"status": "applied"}, headers=bearer(admin)))
    [driver] = applied["items"]
    assert driver["phone"] == DRIVER
    await ok(await service.post(f"/api/v1/admin/drivers/{driver['account_id']}/approve", json={}, headers=bearer(admin)))
    return driver["account_id"]


async def order_by_ussd(service) -> str:
    """A new customer (French by default) dials, orders two Poulet DG to a typed quarter, pays by MTN."""
    session = gateway_for(service).dial(CUSTOMER)
    await session.open()
    await pick(session, "Commander a manger")
    await pick(session, "Yaounde")
    await pick(session, "Tante Rose")
    await pick(session, "Plats")
    await pick(session, "Poulet DG")
    while "(1-20)" not in session.last.text:
        await session.press("1")
    await session.press("2")
    await pick(session, "Valider")
    await pick(session, "Me livrer")
    await pick(session, "Nouvelle adresse")
    await session.press("bastos")
    await session.press("Derriere la pharmacie")
    await pick(session, "MTN")
    await pick(session, "Ce num")
    end = await pick(session, "Confirmer")
    assert session.last.ended, end
    return end.split()[1].rstrip(":")


async def pay(service, settings) -> None:
    book = service.app[SIM_PAYMENTS]
    payments = PaymentJobs(service.app[DATABASE], payment_router(settings))
    try:
        await settle(payments, book)
        [asked] = await (await service.get("/sim/payments", params={"phone": CUSTOMER})).json()
        await ok(await service.post(f"/sim/payments/{asked['reference']}/approve"))
        await settle(payments, book)
    finally:
        await payments.router.close()


async def deliver(service, code: str) -> None:
    await text(service, DRIVER, "ON")
    await text(service, STAFF, f"OUI {code} 15")
    assert code in await last(service, STAFF)
    async with service.app[DATABASE].unit() as unit:
        await dispatch_due(unit, DispatchRules())
    assert f"{code}" in await last(service, DRIVER)
    await text(service, DRIVER, f"PRENDRE {code}")
    await text(service, STAFF, f"PRET {code}")
    await text(service, DRIVER, f"RECUPERE {code}")
    async with service.app[DATABASE].unit() as unit:
        handover = await unit.session.scalar(select(Order.handover_code).where(Order.code == code))
    await text(service, DRIVER, f"LIVRE {code} {handover}")


async def test_from_an_empty_deployment_to_the_restaurant_and_the_driver_paid_once(service, settings, clock):
    db, book = service.app[DATABASE], service.app[SIM_PAYMENTS]
    async with db.unit() as unit:
        assert await unit.session.scalar(select(func.count(Restaurant.id))) == 0
    admin = await sign_in(service, ADMIN)
    restaurant_id = await open_restaurant(service, admin)
    await build_menu(service, restaurant_id)
    driver_id = await hire_driver(service, admin)

    code = await order_by_ussd(service)
    await pay(service, settings)
    await deliver(service, code)
    async with db.unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        assert (order.status, order.payment_method, order.subtotal_xaf) == ("COMPLETED", "mtn", 9_000)
        owed_restaurant = -await ledger.balance(unit, f"restaurant:{restaurant_id}")
        owed_driver = -await ledger.balance(unit, f"driver:{driver_id}")
    assert owed_restaurant == 9_000 - 9_000 * 15 // 100 and owed_driver == order.delivery_fee_xaf

    started = await paying_out.daily(db, RULES, tz=settings.timezone, at=time(7, 0))
    assert {(p.kind, p.amount_xaf) for p in started} == {("restaurant", owed_restaurant), ("driver", owed_driver)}
    dying = PayoutJobs(db, payout_sender(settings), RULES)  # killed as each provider takes its transfer
    for name in ("mtn", "campay"):
        dying.sender.clients[name] = DiesAfterTheProviderAccepts(dying.sender.clients[name])
    for _ in range(3):
        await dying.run()
    await dying.sender.close()
    async with db.unit() as unit:
        assert sorted(await unit.session.scalars(select(Payout.status))) == ["SENDING", "SENDING"]
    assert len(transfers_to(book, OWNER)) == 1 and len(transfers_to(book, DRIVER)) == 1

    again = PayoutJobs(db, payout_sender(settings), RULES)  # the worker started again
    await send_all(again, clock, seconds=61, rounds=3)
    assert await paying_out.daily(db, RULES, tz=settings.timezone, at=time(7, 0)) == []  # once a day
    await send_all(again, clock, seconds=3_600)
    await again.sender.close()

    [to_owner], [to_driver] = transfers_to(book, OWNER), transfers_to(book, DRIVER)
    assert (to_owner.amount, to_owner.status) == (owed_restaurant, "successful")
    assert (to_driver.amount, to_driver.status) == (owed_driver, "successful")
    assert len(await payout_movements(db, f"restaurant:{restaurant_id}")) == 1
    assert len(await payout_movements(db, f"driver:{driver_id}")) == 1
    async with db.unit() as unit:
        assert sorted(await unit.session.scalars(select(Payout.status))) == ["PAID", "PAID"]
        assert await ledger.balance(unit, f"restaurant:{restaurant_id}") == 0
        assert await ledger.balance(unit, f"driver:{driver_id}") == 0
        assert await ledger.is_balanced(unit)
    assert len(await messages(db, OWNER, "payout.paid")) == 1 and len(await messages(db, DRIVER, "payout.paid")) == 1
