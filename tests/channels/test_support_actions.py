"""Support's actions on orders gone wrong over HTTP: void an accepted order with its refund, settle a
failed delivery by refund or by sending it again, and read a person's timeline."""
from sqlalchemy import select

from channels.keys import DATABASE
from core import ledger
from core.models import DeliveryJob, Order, Payment
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_delivery_by_sms import (
    RESTAURANT, YAOUNDE_DRIVERS, accepted_order, dispatch, offered_to, online, order, picked_up_order,
)
from tests.channels.test_payments_over_http import MTN_CUSTOMER, paid_momo_order, settle
from tests.payments import placed_order
from tests.sms import last, text


async def payment_of(chopbar, code: str) -> Payment:
    async with chopbar.app[DATABASE].unit() as unit:
        found = await unit.session.scalar(select(Order).where(Order.code == code))
        return await unit.session.scalar(select(Payment).where(Payment.order_id == found.id).order_by(Payment.id.desc()))


async def jobs_of(chopbar, code: str) -> list[DeliveryJob]:
    async with chopbar.app[DATABASE].unit() as unit:
        found = await unit.session.scalar(select(Order).where(Order.code == code))
        return list(await unit.session.scalars(select(DeliveryJob).where(DeliveryJob.order_id == found.id).order_by(DeliveryJob.id)))


async def balanced(chopbar) -> bool:
    async with chopbar.app[DATABASE].unit() as unit:
        return await ledger.is_balanced(unit)


async def refunds_at_the_simulator(book, payment: Payment) -> list[tuple[str, int, str]]:
    return [(p.phone, p.amount, p.status) for p in book.payments.values()
            if p.kind == "disbursement" and p.external_reference == payment.reference]


async def test_voiding_an_accepted_momo_order_refunds_it_at_the_provider_and_tells_everyone(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    paid = await payment_of(chopbar, code)
    support = await signed_in(chopbar, SUPPORT)
    voided = await chopbar.post(f"/api/v1/admin/orders/{code}/void", json={"reason": "restaurant out of gas"}, headers=support)
    assert voided.status == 200, await voided.text()
    answer = await voided.json()
    assert (answer["order"]["status"], answer["refund_xaf"], answer["payment_reference"]) == ("CANCELLED", paid.amount_xaf, paid.reference)
    assert (await last(chopbar, MTN_CUSTOMER)).startswith(f"Order {code} was cancelled by Chopbar support (restaurant out of gas).")
    assert await last(chopbar, RESTAURANT) == (
        f"La commande {code} a été annulée par le support Chopbar (restaurant out of gas). Ne la préparez pas."
    )
    await settle(worker, book)
    refunded = await payment_of(chopbar, code)
    assert (refunded.status, refunded.refunded_xaf, refunded.refund_due_xaf) == ("REFUNDED", paid.amount_xaf, 0)
    assert await refunds_at_the_simulator(book, paid) == [(MTN_CUSTOMER, paid.amount_xaf, "successful")]
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.is_balanced(unit)
        assert await ledger.balance(unit, "provider:mtn") == 0 and await ledger.balance(unit, f"escrow:order:{code}") == 0
    again = await chopbar.post(f"/api/v1/admin/orders/{code}/void", json={"reason": "twice"}, headers=support)
    assert again.status == 409 and (await again.json())["error"]["code"] == "illegal_transition"


async def test_voiding_a_cash_order_calls_the_driver_off_and_charges_nothing(chopbar, db):
    await online(chopbar)
    code = await accepted_order(chopbar)
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    await text(chopbar, driver, f"PRENDRE {code}")
    admin = await signed_in(chopbar, ADMIN)
    voided = await chopbar.post(f"/api/v1/admin/orders/{code}/void", json={"reason": "customer moved"}, headers=admin)
    assert voided.status == 200 and (await voided.json())["refund_xaf"] == 0
    assert await last(chopbar, driver) == f"La course {code} est annulée par le support Chopbar. Ne la récupérez pas."
    assert await last(chopbar, demo.CUSTOMER_FR.phone) == (
        f"La commande {code} a été annulée par le support Chopbar (customer moved). Vous ne payez rien."
    )
    assert [j.status for j in await jobs_of(chopbar, code)] == ["CANCELLED"]
    waiting = await placed_order(db, method="cash")  # not accepted yet: the customer may cancel it themselves
    refused = await chopbar.post(f"/api/v1/admin/orders/{waiting}/void", json={"reason": "x"}, headers=admin)
    assert refused.status == 409
    assert (await chopbar.post("/api/v1/admin/orders/123456/void", json={"reason": "x"}, headers=admin)).status == 404
    assert (await chopbar.post(f"/api/v1/admin/orders/{code}/void", json={}, headers=admin)).status == 400


async def test_a_failed_delivery_sent_again_gets_a_new_job_and_is_delivered(chopbar):
    code, first_driver = await picked_up_order(chopbar)
    await text(chopbar, first_driver, f"ECHEC {code} client absent")
    assert (await order(chopbar, code)).status == "DELIVERY_FAILED"
    support = await signed_in(chopbar, SUPPORT)
    for junk in ({"action": "burn", "reason": "x"}, {"action": "resend"}, {"reason": "x"}):
        assert (await chopbar.post(f"/api/v1/admin/orders/{code}/settle", json=junk, headers=support)).status == 400, junk
    resent = await chopbar.post(f"/api/v1/admin/orders/{code}/settle", json={"action": "resend", "reason": "customer back home"},
                                headers=support)
    assert resent.status == 200, await resent.text()
    assert (await resent.json())["order"]["status"] == "READY"
    assert "Nous renvoyons la commande" in await last(chopbar, demo.CUSTOMER_FR.phone)
    assert await last(chopbar, RESTAURANT) == f"La commande {code} repart: un nouveau livreur viendra la chercher."
    assert [j.status for j in await jobs_of(chopbar, code)] == ["FAILED", "UNASSIGNED"]
    again = await chopbar.post(f"/api/v1/admin/orders/{code}/settle", json={"action": "refund", "reason": "x"}, headers=support)
    assert again.status == 409  # it is on its way again, not failed

    assert await dispatch(chopbar) > 0
    offered = [d.phone for d in YAOUNDE_DRIVERS if f"PRENDRE {code}" in await last(chopbar, d.phone)]
    driver = offered[0]
    await text(chopbar, driver, f"PRENDRE {code}")
    await text(chopbar, driver, f"RECUPERE {code}")
    handover = (await order(chopbar, code)).handover_code
    await text(chopbar, driver, f"LIVRE {code} {handover}")
    assert (await order(chopbar, code)).status == "COMPLETED"
    assert [j.status for j in await jobs_of(chopbar, code)] == ["FAILED", "DELIVERED"]
    assert await balanced(chopbar)


async def test_a_failed_momo_delivery_settled_by_refund_gives_the_money_back(chopbar, worker, book, db):
    code = await placed_order(db, method="mtn", phone=MTN_CUSTOMER)
    await settle(worker, book)
    asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
    await chopbar.post(f"/sim/payments/{asked[0]['reference']}/approve")
    await settle(worker, book)
    await online(chopbar)
    await text(chopbar, RESTAURANT, f"OUI {code} 15")
    await dispatch(chopbar)
    driver = (await offered_to(chopbar))[0]
    for message in (f"PRENDRE {code}", f"RECUPERE {code}"):
        await text(chopbar, driver, message)
        if message.startswith("PRENDRE"):
            await text(chopbar, RESTAURANT, f"PRET {code}")
    await text(chopbar, driver, f"ECHEC {code} nobody at the door")
    paid = await payment_of(chopbar, code)
    support = await signed_in(chopbar, SUPPORT)
    settled = await chopbar.post(f"/api/v1/admin/orders/{code}/settle", json={"action": "refund", "reason": "unreachable"},
                                 headers=support)
    assert settled.status == 200, await settled.text()
    assert ((await settled.json())["order"]["status"], (await settled.json())["refund_xaf"]) == ("CANCELLED", paid.amount_xaf)
    assert (await last(chopbar, MTN_CUSTOMER)).startswith(  # the order was placed in French
        f"La commande {code} n'a pas pu être livrée et est close. Vos ")
    await settle(worker, book)
    assert (await payment_of(chopbar, code)).status == "REFUNDED"
    assert await refunds_at_the_simulator(book, paid) == [(MTN_CUSTOMER, paid.amount_xaf, "successful")]
    assert await balanced(chopbar)
    async with chopbar.app[DATABASE].unit() as unit:
        assert await ledger.balance(unit, f"escrow:order:{code}") == 0
    twice = await chopbar.post(f"/api/v1/admin/orders/{code}/settle", json={"action": "resend", "reason": "x"}, headers=support)
    assert twice.status == 409


async def timeline(chopbar, headers, phone: str, **params) -> dict:
    response = await chopbar.get(f"/api/v1/admin/people/{phone.replace('+', '%2B')}/timeline", params=params, headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_a_persons_timeline_has_orders_payments_messages_and_tickets_newest_first(chopbar, db, clock):
    phone = demo.CUSTOMER_FR.phone
    first = await placed_order(db, method="cash")
    clock.advance(seconds=5)
    await text(chopbar, phone, "AIDE ou est ma commande?")
    clock.advance(seconds=5)
    second = await placed_order(db, method="cash")
    support = await signed_in(chopbar, SUPPORT)
    whole = await timeline(chopbar, support, phone, limit="100")
    assert whole["phone"] == phone and whole["next"] is None
    kinds = [(e["kind"], e["ref"]) for e in whole["items"]]
    assert kinds.index(("order", second)) < kinds.index(("ticket", "1")) < kinds.index(("order", first))
    assert ("ticket_message", "1") in kinds and any(k == "payment" for k, _ in kinds)
    said = [e for e in whole["items"] if e["kind"] == "ticket_message"]
    assert [(e["status"], e["text"]) for e in said] == [("in", "ou est ma commande?")]
    sent = [e["text"] for e in whole["items"] if e["kind"] == "message_out"]
    assert any("ticket 1" in t for t in sent)
    times = [e["at"] for e in whole["items"]]
    assert times == sorted(times, reverse=True)

    paged, cursor = [], None
    while True:
        page = await timeline(chopbar, support, "6 99 00 00 01", limit="2", **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 2
        paged += page["items"]
        if (cursor := page["next"]) is None:
            break
    assert paged == whole["items"]  # nothing skipped or repeated between pages

    for junk in ({"cursor": "nonsense"}, {"cursor": "2026-12-01T10:00:00~9~x"}, {"limit": "0"}):
        response = await chopbar.get(f"/api/v1/admin/people/{phone}/timeline", params=junk, headers=support)
        assert response.status == 400, junk
    assert (await chopbar.get("/api/v1/admin/people/not-a-phone/timeline", headers=support)).status == 400
    assert (await chopbar.get("/api/v1/admin/people/+237699999999/timeline", headers=support)).status == 404


ORDER_ACTIONS = [
    ("POST", "/api/v1/admin/orders/123456/void", {"reason": "x"}),
    ("POST", "/api/v1/admin/orders/123456/settle", {"action": "refund", "reason": "x"}),
    ("GET", f"/api/v1/admin/people/{demo.CUSTOMER_FR.phone}/timeline", None),
]


async def test_only_support_and_admins_void_settle_and_read_timelines(chopbar):
    for phone in (demo.CUSTOMER_FR.phone, RESTAURANT, YAOUNDE_DRIVERS[0].phone):
        headers = await signed_in(chopbar, phone)
        for method, path, body in ORDER_ACTIONS:
            response = await chopbar.request(method, path, json=body, headers=headers)
            assert response.status == 403, (phone, path, await response.text())
    for method, path, body in ORDER_ACTIONS:
        assert (await chopbar.request(method, path, json=body)).status == 401
    support = await signed_in(chopbar, SUPPORT)
    assert (await chopbar.get(ORDER_ACTIONS[2][1], headers=support)).status == 200
