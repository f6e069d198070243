"""Twilio's signed paths under hostile input: no 5xx, signed or not; a forged or refused post
stores nothing; a signed one we cannot use is acknowledged and recorded."""
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from channels.senders import outbox_worker
from tests.hostile import (
    FORM, encoded, footprint, form_bodies, form_pairs, form_types, header_values, ignored_records, send, url,
)

SID = "SM" + "0123456789abcdef" * 2
MESSAGE = {"MessageSid": SID, "SmsSid": SID, "AccountSid": "AC" + "0" * 32, "From": "+237677555080", "To": "+237690000000",
           "Body": "AIDE", "NumMedia": "0", "NumSegments": "1"}
WHATSAPP = {**MESSAGE, "From": "whatsapp:+237677555081", "To": "whatsapp:+237690000000", "WaId": "237677555081",
            "ButtonPayload": "1"}
STATUS = {"MessageSid": SID, "AccountSid": "AC" + "0" * 32, "MessageStatus": "delivered", "To": "+237677555080",
          "ErrorCode": "30003"}
ENDPOINTS = [("/twilio/sms", MESSAGE), ("/twilio/whatsapp", WHATSAPP), ("/twilio/status", STATUS)]


@pytest.fixture
def quick_reports(monkeypatch):
    """A report for a message we never sent is looked for again for a moment; not needed here."""
    monkeypatch.setattr(outbox_worker, "REPORT_RETRY_S", (0,))


def signature(chopbar, settings, path: str, pairs) -> str:
    return RequestValidator(settings.twilio.auth_token.get_secret_value()).compute_signature(url(chopbar, path), MultiDict(pairs))


async def post(chopbar, settings, path: str, fields: dict[str, str], **headers: str):
    pairs = list(fields.items())
    headers = {"Content-Type": FORM, "X-Twilio-Signature": signature(chopbar, settings, path, pairs), **headers}
    return await send(chopbar, "POST", path, encoded(pairs), headers)


@pytest.mark.parametrize("path, template", ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
async def test_hostile_posts_never_give_a_5xx_and_a_forged_one_stores_nothing(
    chopbar, settings, quick_reports, path, template, data
):
    signed = data.draw(st.booleans(), label="signed")
    if signed:
        pairs = data.draw(form_pairs(template), label="fields")
        body, headers = encoded(pairs), {"X-Twilio-Signature": signature(chopbar, settings, path, pairs)}
    else:
        body = data.draw(form_bodies(template), label="body")
        headers = {"X-Twilio-Signature": data.draw(header_values, label="signature")}
        if data.draw(st.booleans(), label="forwarded"):
            headers |= {"X-Forwarded-Host": data.draw(header_values), "X-Forwarded-Proto": data.draw(header_values)}
    headers["Content-Type"] = data.draw(form_types, label="content type")
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", path, body, headers)
    event(f"answered {answer.status}")
    assert answer.status < 500, answer
    if not signed:
        assert 400 <= answer.status < 500, answer
    if answer.status >= 400:
        assert await footprint(chopbar) == before


async def test_a_forged_signature_is_a_403_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, "/twilio/sms", MESSAGE, **{"X-Twilio-Signature": "bm90IGl0"})
    assert answer.status == 403
    assert await footprint(chopbar) == before


async def test_a_signed_message_sid_of_101_characters_is_a_400_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, "/twilio/sms", {**MESSAGE, "MessageSid": "S" * 101})
    assert answer.status == 400 and "MessageSid" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_body_with_nul_is_a_400_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await post(chopbar, settings, "/twilio/whatsapp", {**WHATSAPP, "ButtonPayload": "", "Body": "1\x00"})
    assert answer.status == 400 and "NUL" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_message_from_an_alphanumeric_sender_is_acknowledged_and_recorded(chopbar, settings):
    answer = await post(chopbar, settings, "/twilio/sms", {**MESSAGE, "From": "MTN Cameroon"})
    assert answer.status == 200 and "<Message>" not in answer.text
    (record,) = await ignored_records(chopbar, "twilio")
    assert record.actor == "provider:twilio" and record.reason == "From is not a phone number"
    assert record.data["message"] == SID


async def test_a_signed_status_without_its_message_sid_is_acknowledged_and_recorded(chopbar, settings):
    fields = {k: v for k, v in STATUS.items() if k != "MessageSid"}
    answer = await post(chopbar, settings, "/twilio/status", fields)
    assert answer.status == 200
    (record,) = await ignored_records(chopbar, "twilio")
    assert "MessageSid" in record.reason


async def test_a_form_that_is_not_utf8_is_a_400_before_any_signature(chopbar, settings):
    answer = await send(chopbar, "POST", "/twilio/sms", encoded(list(MESSAGE.items())) + b"&Body=caf\xe9",
                        {"Content-Type": FORM, "X-Twilio-Signature": "x"})
    assert answer.status == 400 and "UTF-8" in answer.text


async def test_a_forwarded_host_with_no_valid_port_is_a_403_not_a_500(chopbar, settings):
    answer = await post(chopbar, settings, "/twilio/sms", MESSAGE, **{"X-Forwarded-Host": "example.com:notaport"})
    assert answer.status == 403


async def test_a_correctly_signed_message_is_still_answered(chopbar, settings):
    answer = await post(chopbar, settings, "/twilio/sms", MESSAGE)
    assert answer.status == 200 and "<Message>Chopbar: MENU" in answer.text
