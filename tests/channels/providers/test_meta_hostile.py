"""The WhatsApp Cloud API webhook under hostile input: no 5xx, signed or not; a forged or refused
post stores nothing; a signed payload of a shape we do not know is acknowledged and recorded."""
import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from channels.senders import outbox_worker
from tests.hostile import footprint, header_values, ignored_records, json_bodies, json_types, send, strings

WAMID = "wamid.HBgMMjM3Njk5NTU1MDk1FQIAEhgUM0EwRkE3"


def envelope(value: dict) -> dict:
    metadata = {"display_phone_number": "237690000000", "phone_number_id": "1"}
    value = {"messaging_product": "whatsapp", "metadata": metadata, **value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]}


def message(**fields) -> dict:
    return {"from": "237699555095", "id": WAMID, "timestamp": "1764000000", "type": "text", "text": {"body": "Bonjour"}, **fields}


TEXT = envelope({"contacts": [{"profile": {"name": "Aline"}, "wa_id": "237699555095"}], "messages": [message()]})
TAP = envelope({"messages": [message(type="interactive", text=None,
                                      interactive={"type": "list_reply", "list_reply": {"id": "1", "title": "x"}})]})
STATUS = envelope({"statuses": [{"id": WAMID, "status": "failed", "timestamp": "1", "recipient_id": "237699555095",
                                 "errors": [{"code": 131047, "title": "Re-engagement message"}]}]})
TEMPLATES = {"text": TEXT, "tap": TAP, "status": STATUS}


@pytest.fixture
def quick_reports(monkeypatch):
    """A status for a message we never sent is looked for again for a moment; not needed here."""
    monkeypatch.setattr(outbox_worker, "REPORT_RETRY_S", (0,))


def signed(body: bytes, secret: str) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


async def post(chopbar, settings, payload) -> object:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return await send(chopbar, "POST", "/whatsapp/meta", body, signed(body, settings.meta.app_secret.get_secret_value()))


@pytest.mark.parametrize("template", TEMPLATES.values(), ids=TEMPLATES.keys())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
async def test_hostile_posts_never_give_a_5xx_and_a_forged_one_stores_nothing(chopbar, settings, quick_reports, template, data):
    body = data.draw(json_bodies(template), label="body")
    is_signed = data.draw(st.booleans(), label="signed")
    headers = signed(body, settings.meta.app_secret.get_secret_value()) if is_signed else {"X-Hub-Signature-256": data.draw(header_values)}
    headers["Content-Type"] = data.draw(json_types, label="content type")
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", "/whatsapp/meta", body, headers)
    event(f"{'signed' if is_signed else 'forged'}, answered {answer.status}")
    assert answer.status < 500, answer
    if not is_signed:  # 403, or aiohttp's own 400 for a header it cannot read
        assert answer.status in (400, 403), answer
    if answer.status >= 400:
        assert await footprint(chopbar) == before


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(mode=st.one_of(st.just("subscribe"), strings), token=st.one_of(st.just("ours"), strings), challenge=strings,
       raw=st.sampled_from(["", "&hub.verify_token=%ff", "&hub.mode=%", "&%00=%00", "&hub.verify_token=%C3%A9"]))
async def test_hostile_verify_handshakes_never_give_a_5xx(chopbar, settings, mode, token, challenge, raw):
    token = settings.meta.verify_token.get_secret_value() if token == "ours" else token[:200]  # a request line holds 8 KB
    query = urlencode({"hub.mode": mode[:100], "hub.verify_token": token, "hub.challenge": challenge[:200]}) + raw
    answer = await send(chopbar, "GET", "/whatsapp/meta?" + query)
    matches = mode == "subscribe" and token == settings.meta.verify_token.get_secret_value()  # the first of each field counts
    event(f"answered {answer.status}")
    assert answer.status == (200 if matches else 403), answer


@pytest.mark.parametrize("token", ["é", "jeton-vérifié", "\x00", "%ff", "😀" * 50, ""])
async def test_a_verify_token_that_is_not_ascii_or_not_ours_is_a_403(chopbar, token):
    query = urlencode({"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1"})
    answer = await send(chopbar, "GET", "/whatsapp/meta?" + query)
    assert answer.status == 403


async def test_a_signature_header_of_bytes_that_are_not_utf8_is_a_403(chopbar):
    body = json.dumps(TEXT).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": b"sha256=\xff\xfe"}
    answer = await send(chopbar, "POST", "/whatsapp/meta", body, headers)
    assert answer.status == 403


@pytest.mark.parametrize("body", [b"null", b"[]", b"42", b'"entry"', b"{}"])
async def test_a_forged_body_of_any_json_is_a_403_and_nothing_is_stored(chopbar, body):
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", "/whatsapp/meta", body, {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"})
    assert answer.status == 403
    assert await footprint(chopbar) == before


async def test_a_signed_payload_whose_entry_is_a_string_is_acknowledged_and_recorded(chopbar, settings):
    answer = await post(chopbar, settings, {"object": "whatsapp_business_account", "entry": "not a list"})
    assert answer.status == 200
    (record,) = await ignored_records(chopbar, "meta")
    assert record.actor == "provider:meta" and record.trigger == "ignored" and "entry" in record.reason


@pytest.mark.parametrize("body", [b"null", b"[]", b"42", b'{"entry": [{"changes": [{"value": {"messages": "x"}}]}]}'])
async def test_a_signed_payload_of_another_shape_is_acknowledged_and_recorded(chopbar, settings, body):
    answer = await post(chopbar, settings, body)
    assert answer.status == 200
    assert len(await ignored_records(chopbar, "meta")) == 1


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"entry": ' * 300 + b"1" + b"}" * 300, b"{\xff}", b'{"entry": "\\ud800"}'])
async def test_a_signed_body_that_is_not_json_or_nests_too_deep_is_a_400(chopbar, settings, body):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, body)
    assert answer.status == 400 and "not JSON" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_message_id_of_101_characters_is_a_400_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, envelope({"messages": [message(id="w" * 101)]}))
    assert answer.status == 400 and "id" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_text_with_nul_is_a_400_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, envelope({"messages": [message(text={"body": "1\x002"})]}))
    assert answer.status == 400 and "NUL" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_message_from_something_that_is_not_a_number_is_recorded_and_the_rest_answered(chopbar, settings):
    other = message(id=WAMID + "2", **{"from": "237699555096"})
    answer = await post(chopbar, settings, envelope({"messages": [message(**{"from": "not-a-number"}), other]}))
    assert answer.status == 200
    (record,) = await ignored_records(chopbar, "meta")
    assert record.reason == "from is not a phone number" and record.data["message"] == WAMID
    menu = await (await chopbar.get("/sim/messages", params={"to": "+237699555096"})).json()
    assert len(menu) == 1


async def test_a_correctly_signed_message_is_still_answered(chopbar, settings):
    answer = await post(chopbar, settings, TEXT)
    assert answer.status == 200
    menu = await (await chopbar.get("/sim/messages", params={"to": "+237699555095"})).json()
    assert len(menu) == 1 and menu[0]["channel"] == "whatsapp"
