"""A new number's first messages arriving together, on every channel: one account with one
customer role, every message answered, no 500. The race is real on PostgreSQL; SQLite takes one
writer at a time, and must give the same answers."""
import asyncio
import itertools
import json

from sqlalchemy import event, func, select

from channels.keys import DATABASE
from core.accounts import account_for
from core.models import Account, OtpCode, OutboxMessage
from tests import demo
from tests.sms import text
from tests.ussd import gateway_for, pick
from core.sealing import blind

numbers = (f"+2376995{n:05d}" for n in itertools.count(57100))  # nobody in the demo data


async def accounts_of(chopbar, phone: str) -> list[tuple[Account, list[str]]]:
    """Every account of the number, with its roles."""
    async with chopbar.app[DATABASE].unit() as unit:
        found = list(await unit.session.scalars(select(Account).where(Account.phone_key == blind(phone))))
        return [(a, sorted(r.role for r in a.roles)) for a in found]


async def queued_to(chopbar, phone: str, channel: str | None = None) -> int:
    query = select(func.count(OutboxMessage.id)).where(OutboxMessage.to_phone_key == blind(phone))
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    async with chopbar.app[DATABASE].unit() as unit:
        return await unit.session.scalar(query)


async def test_ten_sms_at_once_from_a_new_number_open_one_account_and_get_ten_replies(chopbar):
    phone = next(numbers)
    statuses = await asyncio.gather(*(text(chopbar, phone, "MENU", f"ATXid_first{phone}_{i}") for i in range(10)))
    assert statuses == [200] * 10
    [(account, roles)] = await accounts_of(chopbar, phone)
    assert roles == ["customer"] and account.language == "fr"
    assert await queued_to(chopbar, phone) == 10


async def test_three_sign_in_codes_at_once_for_a_new_number_open_one_account(chopbar):
    phone = next(numbers)
    answers = await asyncio.gather(*(chopbar.post("/api/v1/auth/otp", json={"phone": phone}) for _ in range(3)))
    assert [a.status for a in answers] == [202] * 3
    [(_, roles)] = await accounts_of(chopbar, phone)
    assert roles == ["customer"]
    async with chopbar.app[DATABASE].unit() as unit:
        live = await unit.session.scalar(select(func.count(OtpCode.id)).where(OtpCode.phone_key == blind(phone), OtpCode.used_at.is_(None)))
    assert live == 1  # each request voided the one before it: one code works, the last given
    assert await queued_to(chopbar, phone) == 3  # each asked for a code, each got one


async def test_ussd_first_dials_at_once_each_get_a_screen_and_their_first_choices_open_one_account(chopbar):
    phone = next(numbers)
    ussd = gateway_for(chopbar)
    sessions = [ussd.dial(phone) for _ in range(5)]
    homes = await asyncio.gather(*(s.open() for s in sessions))
    assert all(h.text.startswith("Chopbar: que voulez-vous?") and not h.ended for h in homes)
    await asyncio.gather(*(pick(s, "Language/Langue") for s in sessions))
    chosen = await asyncio.gather(*(pick(s, "English") for s in sessions))  # each opens the account if none is there
    assert all(c.startswith("Chopbar: what would you like?") for c in chosen)
    [(account, roles)] = await accounts_of(chopbar, phone)
    assert roles == ["customer"] and account.language == "en"


async def say_on_whatsapp(chopbar, phone: str, **what) -> int:
    """A WhatsApp message from the phone, signed and posted by the Meta simulator."""
    return (await (await chopbar.post("/sim/meta/inbound", json={"from": phone, **what})).json())["forwarded"]


async def whatsapp_choice(chopbar, phone: str, title: str) -> str:
    """The reply id of the row or button titled `title` on the last WhatsApp screen."""
    messages = await (await chopbar.get("/sim/messages", params={"to": phone})).json()
    last = json.loads([m for m in messages if m["channel"] == "whatsapp"][-1]["text"])
    action = last["interactive"]["action"]
    options = {b["reply"]["title"]: b["reply"]["id"] for b in action.get("buttons", [])}
    options.update({r["title"]: r["id"] for s in action.get("sections", []) for r in s.get("rows", [])})
    return next(i for t, i in options.items() if title.lower() in t.lower())


async def test_a_whatsapp_first_message_racing_an_sms_both_get_answers_and_one_account(chopbar):
    phone = next(numbers)
    first = await asyncio.gather(say_on_whatsapp(chopbar, phone, text="Bonjour"), text(chopbar, phone, "MENU"))
    assert first == [200, 200]
    await say_on_whatsapp(chopbar, phone, reply_id=await whatsapp_choice(chopbar, phone, "Language/Langue"))
    english = await whatsapp_choice(chopbar, phone, "English")
    second = await asyncio.gather(say_on_whatsapp(chopbar, phone, reply_id=english), text(chopbar, phone, "AIDE"))
    assert second == [200, 200]
    [(_, roles)] = await accounts_of(chopbar, phone)
    assert roles == ["customer"]
    assert await queued_to(chopbar, phone, "whatsapp") == 3 and await queued_to(chopbar, phone, "sms") == 2


async def test_a_known_number_is_found_with_one_select(chopbar):
    """The common path stays as cheap as it was: no insert is tried for a number we know."""
    db = chopbar.app[DATABASE]
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(db.engine.sync_engine, "before_cursor_execute", listener)
    try:
        async with db.unit() as unit:
            statements.clear()
            account = await account_for(unit, demo.CUSTOMER_FR.phone, default_language="fr")
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", listener)
    assert account.phone == demo.CUSTOMER_FR.phone
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "INSERT"))]
    assert not any(s.lstrip().upper().startswith("INSERT") for s in reads)
    assert len([s for s in reads if "FROM accounts" in s]) == 1  # its roles come in one more, by selectin
