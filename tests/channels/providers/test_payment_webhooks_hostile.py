"""Payment callbacks under hostile input (MTN unsigned, CamPay's JWT, Stripe-Signature): no 5xx,
signed or not; a forged or refused one changes no payment and stores nothing; a signed one we
cannot apply is acknowledged and recorded."""
import asyncio
import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from sqlalchemy import select, text

from channels.keys import DATABASE
from core.models import Payment, ProcessedEvent
from simulators.stripe_sim import sign
from tests.hostile import (
    FORM, encoded, footprint, form_pairs, header_values, ignored_records, json_bodies, json_types, send, strings,
)
from tests.payments import placed_order

HYPOTHESIS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


@pytest.fixture
async def on_file(db):
    """A MoMo payment waiting for its payer, one CamPay took, and a card payment Stripe holds."""
    methods = ("mtn", "orange", "card")
    for method in methods:
        await placed_order(db, method=method)
    async with db.unit() as unit:
        found = {method: await unit.session.scalar(select(Payment).where(Payment.method == method)) for method in methods}
        found["mtn"].next_check_at = unit.now() + timedelta(seconds=10)  # asked, and next checked in a while
        found["orange"].provider, found["orange"].provider_reference = "campay", "7d8c4b2a-campay-ref"
        found["card"].provider, found["card"].provider_reference = "stripe", "pi_3hostile"
        return {method: (p.reference, p.provider_reference) for method, p in found.items()}


def unchanged_payments(before, after) -> bool:
    """No status, version or provider reference moved (an MTN hint may bring a check forward)."""
    strip = lambda payments: [(p[0], p[1], p[3], p[4]) for p in payments]  # noqa: E731
    return strip(before.payments) == strip(after.payments)


# MTN MoMo: unsigned by its design, so no request of it may move a payment.

def mtn_body(reference: str) -> dict:
    return {"financialTransactionId": "1234567", "externalId": reference, "amount": "3000", "currency": "XAF",
            "payer": {"partyIdType": "MSISDN", "partyId": "237677000002"}, "payerMessage": "Chopbar",
            "payeeNote": "Chopbar", "status": "SUCCESSFUL"}


@HYPOTHESIS
@given(data=st.data())
async def test_hostile_mtn_callbacks_never_give_a_5xx_or_move_a_payment(chopbar, on_file, data):
    reference = on_file["mtn"][0]
    body = data.draw(json_bodies(mtn_body(reference)), label="body")
    headers = {"Content-Type": data.draw(json_types, label="content type")}
    if data.draw(st.booleans(), label="with X-Reference-Id"):
        headers["X-Reference-Id"] = data.draw(st.one_of(st.just(reference), header_values), label="X-Reference-Id")
    method = data.draw(st.sampled_from(["PUT", "POST"]), label="method")
    before = await footprint(chopbar)
    answer = await send(chopbar, method, "/payments/mtn/callback", body, headers)
    event(f"answered {answer.status}")
    assert answer.status < 500, answer
    after = await footprint(chopbar)
    assert unchanged_payments(before, after)
    if answer.status >= 400:
        assert after == before


@pytest.mark.parametrize("body", [b"null", b"[]", b"[1, 2]", b"42", b'"x"', b"[" * 5000 + b"]" * 5000, b"{\xff}"])
async def test_an_mtn_callback_that_is_not_a_json_object_is_a_400(chopbar, body):
    before = await footprint(chopbar)
    answer = await send(chopbar, "PUT", "/payments/mtn/callback", body, {"Content-Type": "application/json"})
    assert answer.status == 400
    assert await footprint(chopbar) == before


@pytest.mark.parametrize("reference", ["ref\x00", "r" * 101, "réf"])
async def test_an_mtn_reference_no_provider_sends_is_a_400(chopbar, reference):
    answer = await send(chopbar, "PUT", "/payments/mtn/callback", json.dumps({"externalId": reference}).encode())
    assert answer.status == 400 and "externalId" in answer.text
    header = await send(chopbar, "PUT", "/payments/mtn/callback", b"{}", {"X-Reference-Id": reference})
    assert header.status == 400


async def test_an_mtn_callback_brings_the_status_check_forward(chopbar, on_file, db, clock):
    reference = on_file["mtn"][0]
    answer = await send(chopbar, "PUT", "/payments/mtn/callback", json.dumps(mtn_body(reference)).encode())
    assert answer.status == 200
    async with db.unit() as unit:
        payment = await unit.session.scalar(select(Payment).where(Payment.reference == reference))
        assert payment.next_check_at.replace(tzinfo=None) == clock.now.replace(tzinfo=None)


# CamPay: its JWT `signature` is one of the fields, so they are read defensively first.

def campay_fields(reference: str, ours: str) -> dict[str, str]:
    return {"status": "SUCCESSFUL", "reference": reference, "amount": "3000", "currency": "XAF", "operator": "ORANGE",
            "code": "CP201027T00005", "operator_reference": "MP201027.1234.A12345", "external_reference": ours}


def jwt_for(settings, reference: str | None, **claims) -> str:
    body = {"reference": reference, "status": "SUCCESSFUL", "iat": int(time.time()), **claims}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, settings.campay.webhook_key.get_secret_value(), algorithm="HS256")


def with_signature(settings, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    reference = next((v for k, v in pairs if k == "reference"), None)
    return [*pairs, ("signature", jwt_for(settings, reference))]


@HYPOTHESIS
@given(data=st.data())
async def test_hostile_campay_webhooks_never_give_a_5xx_and_a_forged_one_stores_nothing(chopbar, settings, on_file, data):
    reference, ours = on_file["orange"][1], on_file["orange"][0]
    pairs = data.draw(form_pairs(campay_fields(reference, ours)), label="fields")
    signed = data.draw(st.booleans(), label="signed")
    pairs = with_signature(settings, pairs) if signed else [*pairs, ("signature", data.draw(strings, label="signature"))]
    how = data.draw(st.sampled_from(["query", "form", "json"]), label="sent as")
    path, body, headers = "/payments/campay/callback", b"", {}
    if how == "query":
        path += "?" + urlencode(pairs)[:7000]  # a request line holds 8 KB
    elif how == "form":
        body, headers = encoded(pairs), {"Content-Type": FORM}
    else:
        body = data.draw(st.one_of(st.just(json.dumps(dict(pairs)).encode()), json_bodies(dict(pairs))), label="json")
        headers = {"Content-Type": "application/json"}
    before = await footprint(chopbar)
    answer = await send(chopbar, "GET" if how == "query" else "POST", path, body, headers)
    event(f"{'signed' if signed else 'forged'} {how}, answered {answer.status}")
    assert answer.status < 500, answer
    after = await footprint(chopbar)
    if not signed:
        assert 400 <= answer.status < 500, answer
    if answer.status >= 400:
        assert after == before
    assert unchanged_payments(before, after) or signed


@pytest.mark.parametrize("body", [b"[]", b"null", b'{"reference": {"nested": 1}}', b"[" * 3000 + b"]" * 3000])
async def test_a_campay_json_body_that_is_not_one_flat_object_is_a_400(chopbar, body):
    answer = await send(chopbar, "POST", "/payments/campay/callback", body, {"Content-Type": "application/json"})
    assert answer.status == 400


async def test_a_campay_token_nested_too_deep_for_json_is_a_403(chopbar, settings):
    b64 = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=")  # noqa: E731
    header, claims = b64(b"[" * 1400 + b"]" * 1400), b64(b'{"reference": "x"}')
    mac = b64(hmac.new(settings.campay.webhook_key.get_secret_value().encode(), header + b"." + claims, hashlib.sha256).digest())
    token = (header + b"." + claims + b"." + mac).decode()
    answer = await send(chopbar, "GET", "/payments/campay/callback?" + urlencode({"reference": "x", "signature": token}))
    assert answer.status == 403


@pytest.mark.parametrize("signature", ["é.e30.x", "a" * 3000, "eyJ\x00.e30.x"])
async def test_a_campay_signature_that_is_no_jwt_is_a_403(chopbar, signature):
    answer = await send(chopbar, "POST", "/payments/campay/callback", encoded([("reference", "x"), ("signature", signature)]),
                        {"Content-Type": FORM})
    assert answer.status == 403


async def test_a_signed_campay_webhook_without_its_reference_is_acknowledged_and_recorded(chopbar, settings):
    answer = await send(chopbar, "GET", "/payments/campay/callback?" + urlencode(
        {"status": "SUCCESSFUL", "signature": jwt_for(settings, None)}))
    assert answer.status == 200
    (record,) = await ignored_records(chopbar, "campay")
    assert record.actor == "provider:campay" and "reference" in record.reason


async def test_a_signed_campay_webhook_brings_its_payment_check_forward_once(chopbar, settings, on_file):
    reference, ours = on_file["orange"][1], on_file["orange"][0]
    query = "/payments/campay/callback?" + urlencode({**campay_fields(reference, ours), "signature": jwt_for(settings, reference)})
    before = await footprint(chopbar)
    assert (await send(chopbar, "GET", query)).status == 200
    assert (await send(chopbar, "GET", query)).status == 200
    after = await footprint(chopbar)
    assert after.events == before.events + 1 and unchanged_payments(before, after)


async def test_a_signed_campay_reference_longer_than_a_payment_keeps_is_a_400(chopbar, settings, on_file):
    ours = on_file["orange"][0]  # a payment that has no CamPay reference yet: it would take this one
    reference = "r" * 81
    query = "/payments/campay/callback?" + urlencode({**campay_fields(reference, ours), "signature": jwt_for(settings, reference)})
    before = await footprint(chopbar)
    answer = await send(chopbar, "GET", query)
    assert answer.status == 400 and "reference" in answer.text
    assert await footprint(chopbar) == before


# Stripe: `Stripe-Signature` over the raw body, checked before it is parsed.

def stripe_event(intent: str, **fields) -> dict:
    return {"id": "evt_1hostile", "object": "event", "api_version": "2024-06-20", "created": 1764000000,
            "type": "payment_intent.payment_failed", "livemode": False,
            "data": {"object": {"id": intent, "object": "payment_intent", "status": "requires_payment_method",
                                "last_payment_error": {"message": "Your card was declined."}}}, **fields}


async def stripe_post(chopbar, settings, body: bytes):
    headers = {"Content-Type": "application/json", "Stripe-Signature": sign(body, settings.stripe.webhook_secret.get_secret_value())}
    return await send(chopbar, "POST", "/payments/stripe/webhook", body, headers)


@HYPOTHESIS
@given(data=st.data())
async def test_hostile_stripe_events_never_give_a_5xx_and_a_forged_one_stores_nothing(chopbar, settings, on_file, data):
    body = data.draw(json_bodies(stripe_event(on_file["card"][1])), label="body")
    signed = data.draw(st.booleans(), label="signed")
    if signed:
        header = sign(body, settings.stripe.webhook_secret.get_secret_value())
    else:
        stale = sign(body, settings.stripe.webhook_secret.get_secret_value(), at=1)  # signed right, long ago
        header = data.draw(st.one_of(header_values, st.just(sign(body, "whsec_forged")), st.just(stale)), label="header")
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", "/payments/stripe/webhook", body,
                        {"Content-Type": data.draw(json_types, label="content type"), "Stripe-Signature": header})
    event(f"{'signed' if signed else 'forged'}, answered {answer.status}")
    assert answer.status < 500, answer
    if not signed:
        assert 400 <= answer.status < 500, answer
    if answer.status >= 400:
        assert await footprint(chopbar) == before


@pytest.mark.parametrize("header", [b"t=1,v1=\xff\xfe", "t=1,v1=é".encode(), b"", b"t=,v1=", b"t=" + b"9" * 5000 + b",v1=00"])
async def test_a_stripe_signature_header_we_cannot_read_is_a_403(chopbar, header):
    body = json.dumps(stripe_event("pi_x")).encode()
    headers = {"Content-Type": "application/json", "Stripe-Signature": header}
    answer = await send(chopbar, "POST", "/payments/stripe/webhook", body, headers)
    assert answer.status == 403


async def test_a_stripe_body_that_is_not_utf8_is_a_400_and_nothing_is_stored(chopbar, settings):
    before = await footprint(chopbar)
    answer = await send(chopbar, "POST", "/payments/stripe/webhook", b'{"id": "\xff"}', {"Stripe-Signature": "t=1,v1=00"})
    assert answer.status == 400 and "UTF-8" in answer.text
    assert await footprint(chopbar) == before


@pytest.mark.parametrize("body", [b"null", b"[]", b"42", b'{"object": "event"}'])
async def test_a_signed_stripe_body_that_is_no_event_is_acknowledged_and_recorded(chopbar, settings, body):
    answer = await stripe_post(chopbar, settings, body)
    assert answer.status == 200 and (parsed(answer))["ignored"] == "not an event"
    (record,) = await ignored_records(chopbar, "stripe")
    assert record.actor == "provider:stripe" and record.trigger == "ignored"


async def test_a_signed_stripe_event_without_data_object_is_acknowledged_and_recorded_once(chopbar, settings, on_file):
    body = json.dumps({**stripe_event(on_file["card"][1]), "data": {}}).encode()
    before = await footprint(chopbar)
    first = await stripe_post(chopbar, settings, body)
    assert first.status == 200 and parsed(first)["ignored"] == "no payment intent"
    again = await stripe_post(chopbar, settings, body)
    assert again.status == 200 and parsed(again)["replay"] is True
    (record,) = await ignored_records(chopbar, "stripe")
    assert record.data == {"event": "evt_1hostile", "type": "payment_intent.payment_failed"} and "object" in record.reason
    assert unchanged_payments(before, await footprint(chopbar))


DEEP = [b"[" * 5000 + b"]" * 5000, b'{"id": "evt_1", "data": ' * 300 + b"1" + b"}" * 300, b'{"id": "\\ud800"}']


@pytest.mark.parametrize("body", DEEP)
async def test_a_signed_stripe_body_that_is_not_json_or_nests_too_deep_is_a_400(chopbar, settings, body):
    before = await footprint(chopbar)
    answer = await stripe_post(chopbar, settings, body)
    assert answer.status == 400 and "not JSON" in answer.text
    assert await footprint(chopbar) == before


async def test_a_signed_stripe_event_id_of_101_characters_is_a_400(chopbar, settings, on_file):
    answer = await stripe_post(chopbar, settings, json.dumps({**stripe_event(on_file["card"][1]), "id": "e" * 101}).encode())
    assert answer.status == 400 and "id" in answer.text


async def test_a_signed_stripe_failure_still_fails_the_card_payment(chopbar, settings, on_file):
    answer = await stripe_post(chopbar, settings, json.dumps(stripe_event(on_file["card"][1])).encode())
    assert answer.status == 200 and parsed(answer) == {"received": True}
    async with chopbar.app[DATABASE].unit() as unit:
        payment = await unit.session.scalar(select(Payment).where(Payment.provider_reference == on_file["card"][1]))
        assert (payment.status, payment.last_error) == ("FAILED", "Your card was declined.")


def parsed(answer) -> dict:
    return json.loads(answer.text)


# The MTN callback racing a status check of the same payment: neither is refused.

async def test_a_status_check_that_read_the_payment_before_an_mtn_callback_still_writes_it(chopbar, on_file, db):
    reference = on_file["mtn"][0]
    async with db.unit() as check:  # the worker's check, between its read and its write
        payment = await check.session.scalar(select(Payment).where(Payment.reference == reference))
        answer = await send(chopbar, "PUT", "/payments/mtn/callback", json.dumps(mtn_body(reference)).encode())
        assert answer.status == 200, answer
        payment.attempts += 1
        payment.next_check_at = check.now() + timedelta(seconds=5)
    async with db.unit() as unit:  # the check's write went through: no conflict on the version
        payment = await unit.session.scalar(select(Payment).where(Payment.reference == reference))
        assert payment.attempts == 1
        assert await unit.session.scalar(select(ProcessedEvent.id).where(ProcessedEvent.provider == "mtn")) is not None


async def test_an_mtn_callback_waiting_on_a_status_check_is_applied_once_the_check_commits(chopbar, on_file, db, clock):
    reference = on_file["mtn"][0]
    async with db.unit() as check:  # the worker's check holds the payment's row while the callback comes
        payment = await check.session.scalar(select(Payment).where(Payment.reference == reference).with_for_update())
        payment.attempts += 1
        payment.next_check_at = check.now() + timedelta(seconds=30)
        await check.session.flush()
        callback = asyncio.create_task(
            send(chopbar, "PUT", "/payments/mtn/callback", json.dumps(mtn_body(reference)).encode())
        )
        await waiting_on_a_lock(db)
    answer = await callback
    assert answer.status == 200, answer
    async with db.unit() as unit:
        payment = await unit.session.scalar(select(Payment).where(Payment.reference == reference))
        assert payment.attempts == 1  # the check's write stands
        assert payment.next_check_at.replace(tzinfo=None) == clock.now.replace(tzinfo=None)  # and the hint too


async def waiting_on_a_lock(db) -> None:
    """Until the callback waits for the check's lock (PostgreSQL shows it); SQLite shows nothing,
    so it is given a moment to get there."""
    if not db.is_postgres:
        await asyncio.sleep(0.5)
        return
    for _ in range(200):
        async with db.unit() as probe:
            waiting = await probe.session.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ))
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the callback never waited for the status check")
