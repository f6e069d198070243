"""One number flooding the service: its texts get the limit's worth of replies and one warning,
then silence; its USSD hops get an END screen past the limit; other numbers are not touched."""
import asyncio

import pytest
from sqlalchemy import func, select

from chopbar.app import create_app
from core.models import Account, OutboxMessage, ProcessedEvent
from tests.faults.outage_traffic import Traffic
from tests.ussd import gateway_for
from core.sealing import blind

TEXTS_LIMIT = 5
HOPS_LIMIT = 8
FLOODER = "+237699500001"
NEIGHBOUR = "+237677500002"


@pytest.fixture
async def service(aiohttp_server, aiohttp_client, settings, clock):
    limited = settings.model_copy(update=dict(sms_per_number_per_10_min=TEXTS_LIMIT, ussd_hops_per_number_per_min=HOPS_LIMIT))
    server = await aiohttp_server(create_app(limited, clock=clock), host="127.0.0.1", port=limited.port)
    return await aiohttp_client(server)


async def outbox_to(db, phone: str) -> list[OutboxMessage]:
    async with db.unit() as unit:
        return list(await unit.session.scalars(select(OutboxMessage).where(OutboxMessage.to_phone_key == blind(phone)).order_by(OutboxMessage.id)))


async def test_500_texts_from_one_number_get_the_limit_of_replies_and_one_warning(service, db):
    traffic = Traffic(service)
    for _ in range(20):  # as a flood comes: many at once
        await asyncio.gather(*(traffic.text(FLOODER, "MENU") for _ in range(25)))
    assert traffic.problems == []  # every one accepted: the gateway must not retry them
    replies = await outbox_to(db, FLOODER)
    assert len(replies) == TEXTS_LIMIT + 1
    warnings = [m for m in replies if m.kind == "limit.wait"]
    assert len(warnings) == 1 and "10 min" in warnings[0].body
    async with db.unit() as unit:  # each one recorded as seen, so a gateway's retry changes nothing
        seen = await unit.session.scalar(select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.event_id.in_(list(traffic.texts))))
    assert seen == 500
    await traffic.text(NEIGHBOUR, "MENU")
    assert len(await outbox_to(db, NEIGHBOUR)) == 1


async def test_a_retry_of_a_text_seen_before_does_not_count_against_the_number(service, db):
    traffic = Traffic(service)
    first = await traffic.text(FLOODER, "AIDE")
    for _ in range(20):
        await service.post("/sms/africastalking", data={"from": FLOODER, "to": "2468", "text": "AIDE", "id": first})
    await traffic.text(FLOODER, "AIDE")
    kinds = [m.kind for m in await outbox_to(db, FLOODER)]
    assert len(kinds) == 2 and "limit.wait" not in kinds


async def test_a_new_number_over_its_limit_gets_the_warning_and_no_account(aiohttp_server, aiohttp_client, settings, clock, db):
    silent = settings.model_copy(update=dict(sms_per_number_per_10_min=0))
    client = await aiohttp_client(await aiohttp_server(create_app(silent, clock=clock), host="127.0.0.1", port=silent.port))
    traffic = Traffic(client)
    for _ in range(3):
        await traffic.text(FLOODER, "MENU")
    assert [m.kind for m in await outbox_to(db, FLOODER)] == ["limit.wait"]
    async with db.unit() as unit:
        assert await unit.session.scalar(select(Account).where(Account.phone_key == blind(FLOODER))) is None


async def test_whatsapp_chats_count_with_the_numbers_texts(service, db):
    traffic = Traffic(service)
    for _ in range(TEXTS_LIMIT):
        await traffic.text(FLOODER, "AIDE")
    await traffic.chat(FLOODER, "Bonjour")
    await traffic.chat(FLOODER, "Bonjour")
    chats = [m for m in await outbox_to(db, FLOODER) if m.channel == "whatsapp"]
    assert [m.kind for m in chats] == ["limit.wait"]
    assert traffic.problems == []


async def test_dialling_in_a_loop_gets_end_screens_past_the_limit_and_others_dial_on(service):
    gateway = gateway_for(service)
    screens = []
    for _ in range(HOPS_LIMIT + 4):
        session = gateway.dial(FLOODER)
        screens.append((await session.open()).raw)
    assert all(s.startswith("CON ") for s in screens[:HOPS_LIMIT])
    refused = screens[HOPS_LIMIT:]
    assert all(s.startswith("END ") and len(s) <= 160 for s in refused)
    assert "Too many tries" in refused[0] and "Trop d'essais" in refused[0]  # both languages: nothing was read
    assert (await gateway.dial(NEIGHBOUR).open()).raw.startswith("CON ")


async def test_a_restaurant_answering_orders_by_sms_is_allowed_more(service, db):
    traffic = Traffic(service)
    restaurant = "+237677100001"  # Chez Maman Ngo's contact, in the demo data
    for _ in range(TEXTS_LIMIT + 3):
        await traffic.text(restaurant, "AIDE")
    kinds = [m.kind for m in await outbox_to(db, restaurant)]
    assert len(kinds) == TEXTS_LIMIT + 3 and "limit.wait" not in kinds
