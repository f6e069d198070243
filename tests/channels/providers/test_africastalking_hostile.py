"""Africa's Talking's unsigned paths under hostile input: no 5xx, and a refused post stores nothing."""
import logging

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st

from channels.senders import outbox_worker
from tests.hostile import FORM, encoded, footprint, form_bodies, form_types, send
from tests.sms import inbox

HOP = {"sessionId": "hostile-1", "serviceCode": "*384*2468#", "phoneNumber": "+237699555090", "networkCode": "62401", "text": "1"}
NOTICE = {"sessionId": "hostile-1", "serviceCode": "*384*2468#", "phoneNumber": "+237699555090", "status": "Success",
          "hopsCount": "3", "durationInMillis": "5000", "errorMessage": "", "input": "1", "lastAppResponse": "CON x"}
SMS = {"from": "+237699555091", "to": "2468", "text": "AIDE", "date": "2026-11-24 11:30:00", "id": "ATXid_hostile", "linkId": "x"}
REPORT = {"id": "ATXid_sent", "status": "Success", "phoneNumber": "+237699555091", "networkCode": "62401", "failureReason": ""}
ENDPOINTS = [
    ("/ussd/africastalking", HOP), ("/ussd/africastalking/events", NOTICE),
    ("/sms/africastalking", SMS), ("/sms/africastalking/delivery", REPORT),
]


@pytest.fixture
def quick_reports(monkeypatch):
    """A report for an id we never sent is looked for again for a moment; not needed here."""
    monkeypatch.setattr(outbox_worker, "REPORT_RETRY_S", (0,))


@pytest.mark.parametrize("path, template", ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
async def test_hostile_posts_never_give_a_5xx_and_a_refused_one_stores_nothing(chopbar, quick_reports, path, template, data):
    body = data.draw(form_bodies(template), label="body")
    content_type = data.draw(form_types, label="content type")
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", path, body, {"Content-Type": content_type})
    event(f"answered {answer.status}")
    assert answer.status < 500, answer
    if answer.status >= 400:
        assert await footprint(chopbar) == before
    elif path == "/ussd/africastalking":
        assert answer.text.startswith(("CON ", "END ")) and len(answer.text) <= 160, answer


async def post(chopbar, path: str, fields: dict[str, str]):
    return await send(chopbar, "POST", path, encoded(list(fields.items())), {"Content-Type": FORM})


async def test_an_sms_id_with_nul_is_a_400_and_nothing_is_stored(chopbar):
    before = await footprint(chopbar)
    answer = await post(chopbar, "/sms/africastalking", {**SMS, "id": "ATXid_\x00"})
    assert answer.status == 400 and "id" in answer.text
    assert await footprint(chopbar) == before


async def test_an_sms_id_of_101_characters_is_a_400_and_one_of_100_is_answered(chopbar):
    refused = await post(chopbar, "/sms/africastalking", {**SMS, "id": "A" * 101})
    assert refused.status == 400
    assert await inbox(chopbar, SMS["from"]) == []
    taken = await post(chopbar, "/sms/africastalking", {**SMS, "id": "A" * 100})
    assert taken.status == 200
    assert len(await inbox(chopbar, SMS["from"])) == 1


@pytest.mark.parametrize("path, template", [("/sms/africastalking", SMS), ("/ussd/africastalking", HOP)])
async def test_a_text_with_nul_is_a_400_and_nothing_is_stored(chopbar, path, template):
    before = await footprint(chopbar)
    answer = await post(chopbar, path, {**template, "text": "1\x002"})
    assert answer.status == 400 and "NUL" in answer.text
    assert await footprint(chopbar) == before


@pytest.mark.parametrize("path, template", ENDPOINTS, ids=[p for p, _ in ENDPOINTS])
async def test_a_form_that_is_not_utf8_is_a_400(chopbar, path, template):
    answer = await send(chopbar, "POST", path, encoded(list(template.items())) + b"&text=caf\xe9", {"Content-Type": FORM})
    assert answer.status == 400 and "UTF-8" in answer.text


async def test_a_percent_escape_that_is_not_utf8_is_a_400(chopbar):
    answer = await send(chopbar, "POST", "/sms/africastalking", encoded(list(SMS.items())).replace(b"AIDE", b"%ff"),
                        {"Content-Type": FORM})
    assert answer.status == 400 and "UTF-8" in answer.text


async def test_a_field_we_read_given_twice_is_a_400(chopbar):
    pairs = [*SMS.items(), ("id", "ATXid_other")]
    answer = await send(chopbar, "POST", "/sms/africastalking", encoded(pairs), {"Content-Type": FORM})
    assert answer.status == 400 and "more than once: id" in answer.text


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=xyz", "text/plain"])
async def test_a_body_that_is_not_a_url_encoded_form_is_a_415(chopbar, content_type):
    answer = await send(chopbar, "POST", "/ussd/africastalking", b'{"sessionId": "x"}', {"Content-Type": content_type})
    assert answer.status == 415


async def test_a_form_over_32_kb_is_a_413_and_one_of_too_many_fields_a_400(chopbar):
    big = await send(chopbar, "POST", "/sms/africastalking", encoded([*SMS.items(), ("pad", "x" * 33_000)]), {"Content-Type": FORM})
    assert big.status == 413
    many = await send(chopbar, "POST", "/sms/africastalking", b"&".join(b"f%d=1" % i for i in range(100)), {"Content-Type": FORM})
    assert many.status == 400 and "form fields" in many.text


async def test_a_phone_number_of_ten_thousand_characters_is_a_400(chopbar):
    answer = await post(chopbar, "/ussd/africastalking", {**HOP, "phoneNumber": "6" * 10_000})
    assert answer.status == 400 and "phoneNumber" in answer.text


async def test_the_end_of_session_notice_logs_each_field_cut_short(chopbar, caplog):
    caplog.set_level(logging.INFO, logger="channels.providers.africastalking.ussd")
    answer = await post(chopbar, "/ussd/africastalking/events", {**NOTICE, "errorMessage": "e" * 20_000 + "\x00"})
    assert answer.status == 200
    (record,) = [r for r in caplog.records if r.getMessage() == "ussd session ended"]
    assert record.fields["errorMessage"] == "e" * 200
    assert record.fields["sessionId"] == "hostile-1"
