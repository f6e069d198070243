"""Provider callbacks: MTN (an unsigned hint), CamPay (JWT-signed), Stripe (Stripe-Signature).

Every callback is deduplicated by the provider's id before anything happens. MTN's and
CamPay's only bring the next status check forward; a Stripe event, once its signature holds,
is the card payment's answer. Each body is read by its schema (`channels.payloads`): an
unsigned one that does not fit is a 400; a signed one we cannot apply is acknowledged and
recorded in the audit log, so the provider stops retrying it.
"""
import logging

from aiohttp import web
from multidict import MultiDict
from pydantic import ValidationError
from sqlalchemy import or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from channels.forms import FORM_MAX_BYTES, fields_for, read_form
from channels.keys import DATABASE, SETTINGS, WAKE
from channels.payloads import ignored
from channels.payloads.campay import FLAT, CampayWebhook
from channels.payloads.fields import Unfit, fit, problems
from channels.payloads.mtn import MtnCallback, MtnHeaders
from channels.payloads.stripe import IntentData, StripeEvent, StripeHead
from channels.payments.campay import verify_webhook
from channels.payments.stripe_cards import verify_signature
from core import payments
from core.db import Unit
from core.dedupe import first_time
from core.errors import BadInput
from core.models import Payment

log = logging.getLogger(__name__)
STRIPE_ANSWERS = {"payment_intent.succeeded": "successful", "payment_intent.payment_failed": "failed"}


async def _check_soon(request: web.Request, unit: Unit, which: ColumnElement[bool]) -> None:
    """Makes the payment's next status check due now, with one UPDATE that leaves the version
    column alone: a status check writing the same payment at the same moment neither refuses
    this hint nor is refused by it. A check holding the row is waited for, and this applies
    after it, so the hint outlives the check's own rescheduling."""
    await unit.session.execute(
        update(Payment).where(which).values(next_check_at=unit.now()).execution_options(synchronize_session=False)
    )
    request.app[WAKE].set()


async def mtn_callback(request: web.Request) -> web.Response:
    raw = await request.read()
    body = fit(MtnCallback, raw or b"{}", from_json=True)
    reference = body.externalId or fit(MtnHeaders, {"X-Reference-Id": request.headers.get("X-Reference-Id")}).reference
    if not reference:
        raise BadInput("externalId missing")
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "mtn", f"{reference}:{body.status}:{body.financialTransactionId}"):
            await _check_soon(request, unit, Payment.reference == reference)
    return web.Response(status=200)


async def _campay_fields(request: web.Request) -> dict[str, str]:
    """The webhook's fields from the query string, and from a form or flat JSON body."""
    fields = MultiDict(request.query)
    if request.method == "POST" and request.content_type == "application/json":
        raw = await request.read()
        if len(raw) > FORM_MAX_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=FORM_MAX_BYTES, actual_size=len(raw))
        try:
            body = FLAT.validate_json(raw or b"{}")
        except ValidationError:
            raise BadInput("expected one flat JSON object of CamPay's fields") from None
        fields.extend((name, str(value)) for name, value in body.items() if value is not None)
    elif request.method == "POST":
        fields.extend(await read_form(request))
    return fields_for(CampayWebhook, fields)


async def campay_callback(request: web.Request) -> web.Response:
    params = await _campay_fields(request)
    verify_webhook(params, request.app[SETTINGS].campay_webhook_key)  # 403 before anything is stored
    try:
        hook = fit(CampayWebhook, params)
    except Unfit as exc:
        await ignored.ignore(request.app[DATABASE], "campay", str(exc), reference=params.get("reference"))
        return web.Response(status=200)
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "campay", f"{hook.reference}:{hook.status}"):
            ours = Payment.reference == hook.external_reference if hook.external_reference else None
            theirs = Payment.provider_reference == hook.reference
            if ours is not None:  # our request timed out but reached CamPay: this is its reference
                await unit.session.execute(
                    update(Payment).where(ours, Payment.provider_reference.is_(None))
                    .values(provider_reference=hook.reference).execution_options(synchronize_session=False)
                )
            await _check_soon(request, unit, or_(theirs, ours) if ours is not None else theirs)
    return web.Response(status=200)


async def stripe_webhook(request: web.Request) -> web.Response:
    payload = await request.read()
    verify_signature(payload, request.headers.get("Stripe-Signature", ""), request.app[SETTINGS].stripe_webhook_secret)
    db = request.app[DATABASE]
    try:
        event = fit(StripeEvent, payload, from_json=True)
    except Unfit as exc:
        head = _head(payload)
        await ignored.ignore(db, "stripe", str(exc), event=head.id, type=head.type)
        return web.json_response({"received": True, "ignored": "not an event"})
    async with db.unit() as unit:
        if not await first_time(unit, "stripe", event.id):
            return web.json_response({"received": True, "replay": True})
        answer = STRIPE_ANSWERS.get(event.type)
        if answer is None:
            return web.json_response({"received": True, "ignored": event.type})
        try:
            intent = IntentData.model_validate(event.data).object
        except ValidationError as exc:
            ignored.record(unit, "stripe", problems(exc), event=event.id, type=event.type)
            return web.json_response({"received": True, "ignored": "no payment intent"})
        payment = await unit.session.scalar(select(Payment).where(Payment.provider_reference == intent.id))
        if payment is None:
            log.warning("stripe event for an unknown intent", extra={"fields": {"intent": intent.id}})
        else:
            reason = intent.last_payment_error.message if intent.last_payment_error else None
            await payments.apply_answer(unit, payment, payments.ProviderAnswer(answer, intent.id, reason), actor="provider:stripe")
    return web.json_response({"received": True})


def _head(payload: bytes) -> StripeHead:
    try:
        return StripeHead.model_validate_json(payload)
    except ValidationError:
        return StripeHead()


def setup(app: web.Application) -> None:
    app.router.add_route("PUT", "/payments/mtn/callback", mtn_callback)
    app.router.add_post("/payments/mtn/callback", mtn_callback)
    app.router.add_get("/payments/campay/callback", campay_callback)
    app.router.add_post("/payments/campay/callback", campay_callback)
    app.router.add_post("/payments/stripe/webhook", stripe_webhook)
