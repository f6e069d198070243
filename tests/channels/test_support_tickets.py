"""Support tickets: opened by SMS (HELP <text>) or the USSD "Talk to us" entry, answered over REST
with the answer going out by SMS in the person's language, solved, and reopened by a new message."""
import re

from sqlalchemy import select

from channels.keys import DATABASE
from core.models import Ticket
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_delivery_by_sms import YAOUNDE_DRIVERS
from tests.sms import inbox, last, text
from tests.ussd import gateway_for, pick

FR, EN = demo.CUSTOMER_FR.phone, demo.CUSTOMER_EN.phone
RESTAURANT = demo.ALL_DAY_YAOUNDE.phone


def ticket_number(message: str) -> int:
    return int(re.search(r"ticket (\d+)", message).group(1))


async def read(chopbar, headers, ticket_id: int) -> dict:
    response = await chopbar.get(f"/api/v1/admin/tickets/{ticket_id}", headers=headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_help_alone_still_gives_the_keywords(chopbar):
    await text(chopbar, FR, "AIDE")
    assert (await last(chopbar, FR)).startswith("Chopbar: MENU restaurants, CHERCHER")
    async with chopbar.app[DATABASE].unit() as unit:
        assert list(await unit.session.scalars(select(Ticket))) == []


async def test_a_french_ticket_by_sms_is_answered_in_french_then_solved(chopbar, clock):
    await text(chopbar, FR, "AIDE Ma commande est arrivée froide!")
    ack = await last(chopbar, FR)
    assert ack.startswith("Le support Chopbar a bien reçu votre message (ticket ")
    ticket = ticket_number(ack)
    await text(chopbar, FR, "aide   et sans piment")
    assert ticket_number(await last(chopbar, FR)) == ticket  # joins the open ticket

    support = await signed_in(chopbar, SUPPORT)
    page = await (await chopbar.get("/api/v1/admin/tickets", params={"status": "open"}, headers=support)).json()
    assert [(t["id"], t["phone"], t["role"], t["channel"]) for t in page["items"]] == [(ticket, FR, "customer", "sms")]
    assert [m["body"] for m in page["items"][0]["messages"]] == ["Ma commande est arrivée froide!"]
    whole = await read(chopbar, support, ticket)
    assert [(m["direction"], m["body"]) for m in whole["messages"]] == [
        ("in", "Ma commande est arrivée froide!"), ("in", "et sans piment"),
    ]
    answered = await chopbar.post(f"/api/v1/admin/tickets/{ticket}/reply", json={"text": "Nous vous rappelons."}, headers=support)
    assert answered.status == 200 and (await answered.json())["status"] == "waiting"
    assert await last(chopbar, FR) == f"Support Chopbar, ticket {ticket}: Nous vous rappelons. Répondez AIDE <texte>."
    await text(chopbar, FR, "AIDE merci, j'attends")
    assert (await read(chopbar, support, ticket))["status"] == "open"
    solved = await chopbar.post(f"/api/v1/admin/tickets/{ticket}/solve", headers=support)
    assert solved.status == 200 and (await solved.json())["status"] == "solved"
    assert await last(chopbar, FR) == (
        f"Support Chopbar: le ticket {ticket} est résolu. Envoyez AIDE <texte> si vous avez encore besoin de nous."
    )
    assert (await chopbar.post(f"/api/v1/admin/tickets/{ticket}/solve", headers=support)).status == 409

    clock.advance(days=1)
    await text(chopbar, FR, "AIDE finalement non")
    assert ticket_number(await last(chopbar, FR)) == ticket  # soon after: the same matter, reopened
    support = await signed_in(chopbar, SUPPORT)  # a day later: a fresh token
    assert (await read(chopbar, support, ticket))["status"] == "open"
    await chopbar.post(f"/api/v1/admin/tickets/{ticket}/solve", headers=support)
    clock.advance(days=4)
    await text(chopbar, FR, "AIDE une autre question")
    assert ticket_number(await last(chopbar, FR)) != ticket  # long after: a new ticket
    support = await signed_in(chopbar, SUPPORT)
    log = await (await chopbar.get("/api/v1/admin/audit", params={"entity": "ticket", "ref": str(ticket)}, headers=support)).json()
    assert [(e["trigger"], e["to_state"]) for e in reversed(log["items"])] == [
        ("open", "OPEN"), ("answer", "WAITING"), ("write", "OPEN"), ("solve", "SOLVED"), ("reopen", "OPEN"), ("solve", "SOLVED"),
    ]


async def test_an_english_customer_gets_the_answer_in_english(chopbar):
    await text(chopbar, EN, "HELP where is my food")
    ack = await last(chopbar, EN)
    assert ack.startswith("Chopbar support got your message (ticket ")
    admin = await signed_in(chopbar, ADMIN)
    ticket = ticket_number(ack)
    await chopbar.post(f"/api/v1/admin/tickets/{ticket}/reply", json={"text": "It left 5 minutes ago."}, headers=admin)
    assert await last(chopbar, EN) == f"Chopbar support, ticket {ticket}: It left 5 minutes ago. Reply HELP <text> to answer."


async def test_a_restaurant_and_a_driver_open_tickets_from_their_own_grammars(chopbar):
    driver = YAOUNDE_DRIVERS[0].phone
    await text(chopbar, RESTAURANT, "AIDE le terminal ne marche plus")
    await text(chopbar, driver, "AIDE pneu crevé à Bastos")
    assert (await last(chopbar, RESTAURANT)).startswith("Le support Chopbar a bien reçu")
    assert (await last(chopbar, driver)).startswith("Le support Chopbar a bien reçu")
    await text(chopbar, RESTAURANT, "AIDE")
    assert (await last(chopbar, RESTAURANT)).startswith("Chopbar: OUI <code>")  # HELP alone: the console's keywords
    support = await signed_in(chopbar, SUPPORT)
    page = await (await chopbar.get("/api/v1/admin/tickets", headers=support)).json()
    assert [(t["phone"], t["role"]) for t in page["items"]] == [(RESTAURANT, "restaurant"), (driver, "driver")]
    restaurant_ticket = page["items"][0]["id"]
    await chopbar.post(f"/api/v1/admin/tickets/{restaurant_ticket}/reply", json={"text": "Un technicien arrive."}, headers=support)
    assert await last(chopbar, RESTAURANT) == (
        f"Support Chopbar, ticket {restaurant_ticket}: Un technicien arrive. Répondez AIDE <texte>."
    )


async def test_talk_to_us_on_ussd_opens_a_ticket_acknowledged_by_sms(chopbar):
    session = gateway_for(chopbar).dial(FR)
    await session.open()
    prompt = await pick(session, "Nous ecrire")
    assert "Ecrivez votre message au support Chopbar:" in prompt and not session.last.ended
    short = (await session.press("ok")).text
    assert short.startswith("Trop court")
    end = await session.press("Le livreur etait impoli")
    assert end.raw.startswith("END ") and len(end.raw) <= 160
    ticket = ticket_number(end.text)
    assert f"ticket {ticket}" in end.text and "SMS" in end.text
    assert ticket_number(await last(chopbar, FR)) == ticket  # the acknowledgement, by SMS too
    replayed = await session.replay()
    assert replayed.raw == end.raw
    support = await signed_in(chopbar, SUPPORT)
    found = await read(chopbar, support, ticket)
    assert (found["channel"], [m["body"] for m in found["messages"]]) == ("ussd", ["Le livreur etait impoli"])
    assert len([m for m in await inbox(chopbar, FR) if f"ticket {ticket}" in m]) == 1


TICKET_ENDPOINTS = [
    ("GET", "/api/v1/admin/tickets", None),
    ("GET", "/api/v1/admin/tickets/1", None),
    ("POST", "/api/v1/admin/tickets/1/reply", {"text": "hello"}),
    ("POST", "/api/v1/admin/tickets/1/solve", None),
]


async def test_only_support_and_admins_read_and_answer_tickets(chopbar):
    await text(chopbar, FR, "AIDE bonjour")
    for phone in (FR, RESTAURANT, YAOUNDE_DRIVERS[0].phone):
        headers = await signed_in(chopbar, phone)
        for method, path, body in TICKET_ENDPOINTS:
            response = await chopbar.request(method, path, json=body, headers=headers)
            assert response.status == 403, (phone, path, await response.text())
    for method, path, body in TICKET_ENDPOINTS:
        assert (await chopbar.request(method, path, json=body)).status == 401
    support = await signed_in(chopbar, SUPPORT)
    assert (await chopbar.get("/api/v1/admin/tickets/999999", headers=support)).status == 404
    for junk in ({}, {"text": "  "}, {"text": "a\x00b"}, {"text": "x" * 481}):
        assert (await chopbar.post("/api/v1/admin/tickets/1/reply", json=junk, headers=support)).status == 400, junk
    assert (await chopbar.get("/api/v1/admin/tickets", params={"status": "closed"}, headers=support)).status == 400
