"""WhatsApp: Meta's Cloud API (lists and buttons) and Twilio (numbered text), signed both ways."""
import hashlib
import hmac
import json

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from channels.keys import DATABASE, SIM_SMS, SIM_TWILIO, SIM_WHATSAPP
from channels.providers.africastalking.sender import AfricasTalkingSms
from channels.senders.outbox_worker import OutboxWorker
from channels.providers.meta.sender import WhatsAppCloud
from core import outbox
from core.models import Order, OutboxMessage, ProcessedEvent
from core.sealing import blind

PHONE = "+237699555060"


@pytest.fixture
async def worker(chopbar, settings):
    w = OutboxWorker(chopbar.app[DATABASE], {
        "sms": AfricasTalkingSms(f"{settings.self_url}/sim/at", "sandbox", "k"),
        "whatsapp": WhatsAppCloud(f"{settings.self_url}/sim/meta", "v21.0", "100200300400500", "token"),
    })
    yield w
    await w.close()


async def say(chopbar, phone: str = PHONE, **what) -> None:
    response = await chopbar.post("/sim/meta/inbound", json={"from": phone, **what})
    assert (await response.json())["forwarded"] == 200


async def screen(chopbar, phone: str = PHONE) -> dict:
    messages = await (await chopbar.get("/sim/messages", params={"to": phone})).json()
    return json.loads(messages[-1]["text"])


def choices(part: dict) -> dict[str, str]:
    """{title: id} of the buttons or list rows of a message."""
    action = part.get("interactive", {}).get("action", {})
    found = {b["reply"]["title"]: b["reply"]["id"] for b in action.get("buttons", [])}
    found.update({r["title"]: r["id"] for s in action.get("sections", []) for r in s.get("rows", [])})
    return found


async def tap(chopbar, title: str) -> dict:
    options = choices(await screen(chopbar))
    match = next((i for t, i in options.items() if title.lower() in t.lower()), None)
    assert match is not None, f"{title!r} not in {list(options)}"
    await say(chopbar, reply_id=match, reply_title=title)
    return await screen(chopbar)


async def test_the_verify_handshake_answers_the_challenge_only_with_our_token(chopbar, settings):
    good = await chopbar.get("/whatsapp/meta", params={"hub.mode": "subscribe", "hub.verify_token": settings.meta.verify_token.get_secret_value(), "hub.challenge": "1158201444"})
    assert (good.status, await good.text()) == (200, "1158201444")
    bad = await chopbar.get("/whatsapp/meta", params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "x"})
    assert bad.status == 403


async def test_a_bad_meta_signature_gets_403_and_changes_nothing(chopbar):
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    forged = "sha256=" + hmac.new(b"wrong", body, hashlib.sha256).hexdigest()
    response = await chopbar.post("/whatsapp/meta", data=body, headers={"X-Hub-Signature-256": forged})
    assert response.status == 403
    async with chopbar.app[DATABASE].unit() as unit:
        assert await unit.session.scalar(select(func.count(ProcessedEvent.id))) == 0


async def test_a_customer_orders_by_whatsapp_with_list_replies(chopbar, worker):
    await say(chopbar, text="Bonjour")
    home = await screen(chopbar)
    assert home["interactive"]["type"] == "list" and "Commander à manger" in choices(home)
    await tap(chopbar, "Commander")
    await tap(chopbar, "Yaounde")
    await tap(chopbar, "Chez Maman Ngo")
    await tap(chopbar, "Plats")
    part = await tap(chopbar, "Poulet DG")
    while part["type"] == "interactive" and "(1-20)" not in json.dumps(part, ensure_ascii=False):
        first = next(iter(choices(part).values()))
        await say(chopbar, reply_id=first)
        part = await screen(chopbar)
    await say(chopbar, text="2")
    await tap(chopbar, "Valider")
    await tap(chopbar, "emporter")
    await tap(chopbar, "comptoir")
    end = await tap(chopbar, "Confirmer")
    assert end["type"] == "text" and end["text"]["body"].startswith("Commande ")
    code = end["text"]["body"].split()[1]
    async with chopbar.app[DATABASE].unit() as unit:
        order = await unit.session.scalar(select(Order).where(Order.code == code))
        assert (order.status, order.channel) == ("PENDING_RESTAURANT", "whatsapp")
    assert await worker.run() > 0
    sent = chopbar.app[SIM_WHATSAPP].sent
    assert sent and sent[-1]["to"] == PHONE.lstrip("+")  # the Cloud API accepted every screen within its limits
    await chopbar.app[SIM_WHATSAPP].drain()
    shown = await (await chopbar.get("/sim/messages", params={"to": PHONE})).json()
    assert {m["status"] for m in shown} == {"delivered"}


async def test_outside_the_24_hour_window_whatsapp_falls_back_to_sms(chopbar, worker):
    async with chopbar.app[DATABASE].unit() as unit:
        await outbox.enqueue(unit, "+237699555061", '{"type": "text", "text": {"body": "Your order is ready"}}', kind="test", channel="whatsapp")
    await worker.run()  # refused by the Cloud API: never wrote to us
    await worker.run()  # sent again, by SMS
    async with chopbar.app[DATABASE].unit() as unit:
        message = await unit.session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone_key == blind("+237699555061")))
    assert (message.channel, message.status, message.body) == ("sms", "sent", "Your order is ready")
    assert chopbar.app[SIM_SMS].sent[-1]["text"] == "Your order is ready"


async def test_twilio_sms_gets_a_twiml_reply(chopbar):
    answer = await (await chopbar.post("/sim/twilio/inbound", json={"from": "+237677555070", "body": "AIDE"})).json()
    assert answer["status"] == 200 and "<Response><Message>Chopbar: MENU" in answer["twiml"]
    inbox = await (await chopbar.get("/sim/messages", params={"to": "+237677555070"})).json()
    assert inbox[-1]["status"] == "sent" and inbox[-1]["text"].startswith("Chopbar: MENU")


async def test_twilio_whatsapp_gets_the_dialog_as_numbered_text(chopbar):
    answer = await (await chopbar.post("/sim/twilio/inbound", json={"from": "+237677555071", "body": "hi", "whatsapp": True})).json()
    assert "1 Commander" in answer["twiml"] and "Language/Langue" in answer["twiml"]
    answer = await (await chopbar.post("/sim/twilio/inbound", json={"from": "+237677555071", "body": "1", "whatsapp": True})).json()
    assert "Yaounde" in answer["twiml"]


async def test_the_official_validator_accepts_what_our_simulator_signs_and_we_refuse_a_tampered_copy(chopbar, settings):
    gateway = chopbar.app[SIM_TWILIO]
    form = gateway.form("+237677555072", "STATUT", whatsapp=False)
    url = f"{settings.self_url}/twilio/sms"
    signature = gateway.validator.compute_signature(url, form)
    assert RequestValidator(settings.twilio.auth_token.get_secret_value()).validate(url, form, signature)
    tampered = {**form, "Body": "ANNULER"}
    response = await chopbar.post("/twilio/sms", data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status == 403
    status, _ = await gateway.deliver(form, whatsapp=False)
    assert status == 200


async def test_the_same_message_sid_twice_gets_one_reply(chopbar):
    gateway = chopbar.app[SIM_TWILIO]
    form = gateway.form("+237677555073", "AIDE", whatsapp=False)
    first = await gateway.deliver(form, whatsapp=False)
    again = await gateway.deliver(form, whatsapp=False)
    assert "<Message>" in first[1] and "<Message>" not in again[1]


async def test_the_twilio_library_sends_through_our_simulator_and_its_status_callback_marks_delivery(chopbar, settings):

    from chopbar.providers import senders

    sender = senders(settings.model_copy(update=dict(sms_provider="twilio")))["sms"]
    worker = OutboxWorker(chopbar.app[DATABASE], {"sms": sender})
    async with chopbar.app[DATABASE].unit() as unit:
        await outbox.enqueue(unit, "+237677555080", "Votre commande arrive", kind="test")
    assert await worker.run() == 1
    gateway = chopbar.app[SIM_TWILIO]
    await gateway.drain()
    assert gateway.sent[-1]["to"] == "+237677555080"
    shown = await (await chopbar.get("/sim/messages", params={"to": "+237677555080"})).json()
    assert shown[-1]["status"] == "delivered"
    await worker.close()
