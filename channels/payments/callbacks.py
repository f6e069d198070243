"""Provider callbacks: MTN (an unsigned hint), CamPay (JWT-signed), Stripe (Stripe-Signature).

Every callback is deduplicated by the provider's id before anything happens. MTN's and
CamPay's only bring the next status check forward; a Stripe event, once its signature holds,
is the card payment's answer.
"""
import json
import logging

from aiohttp import web
from sqlalchemy import or_, select

from channels.keys import DATABASE, WAKE, SETTINGS
from channels.payments.campay import verify_webhook
from channels.payments.stripe_cards import verify_event
from core import payments
from core.db import Unit
from core.dedupe import first_time
from core.models import Payment

log = logging.getLogger(__name__)
STRIPE_ANSWERS = {"payment_intent.succeeded": "successful", "payment_intent.payment_failed": "failed"}


async def _check_soon(request: web.Request, unit: Unit, payment: Payment | None) -> None:
    if payment is None:
        return
    payment.next_check_at = unit.now()
    request.app[WAKE].set()


async def mtn_callback(request: web.Request) -> web.Response:
    try:
        body = json.loads(await request.read() or b"{}")
    except ValueError:
        raise web.HTTPBadRequest(text="expected a JSON body") from None
    reference = body.get("externalId") or request.headers.get("X-Reference-Id") or ""
    if not isinstance(body, dict) or not reference:
        raise web.HTTPBadRequest(text="externalId missing")
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "mtn", f"{reference}:{body.get('status')}:{body.get('financialTransactionId')}"):
            payment = await unit.session.scalar(select(Payment).where(Payment.reference == reference))
            await _check_soon(request, unit, payment)
    return web.Response(status=200)


async def campay_callback(request: web.Request) -> web.Response:
    params = dict(request.query)
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                params.update(json.loads(await request.read() or b"{}"))
            except ValueError:
                raise web.HTTPBadRequest(text="expected JSON") from None
        else:
            params.update(await request.post())
    params = {k: str(v) for k, v in params.items()}
    verify_webhook(params, request.app[SETTINGS].campay_webhook_key)  # 403 before anything is stored
    reference = params.get("reference", "")
    if not reference:
        raise web.HTTPBadRequest(text="reference missing")
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "campay", f"{reference}:{params.get('status')}"):
            ours = params.get("external_reference") or ""
            payment = await unit.session.scalar(
                select(Payment).where(or_(Payment.provider_reference == reference, Payment.reference == ours))
            )
            if payment is not None and not payment.provider_reference:
                payment.provider_reference = reference  # our request timed out but reached CamPay
            await _check_soon(request, unit, payment)
    return web.Response(status=200)


async def stripe_webhook(request: web.Request) -> web.Response:
    payload = await request.read()
    event = verify_event(payload, request.headers.get("Stripe-Signature", ""), request.app[SETTINGS].stripe_webhook_secret)
    async with request.app[DATABASE].unit() as unit:
        if not await first_time(unit, "stripe", event["id"]):
            return web.json_response({"received": True, "replay": True})
        answer = STRIPE_ANSWERS.get(event["type"])
        if answer is None:
            return web.json_response({"received": True, "ignored": event["type"]})
        intent = event["data"]["object"]
        payment = await unit.session.scalar(select(Payment).where(Payment.provider_reference == intent["id"]))
        if payment is None:
            log.warning("stripe event for an unknown intent", extra={"fields": {"intent": intent["id"]}})
        else:
            reason = (intent.get("last_payment_error") or {}).get("message")
            await payments.apply_answer(unit, payment, payments.ProviderAnswer(answer, intent["id"], reason), actor="provider:stripe")
    return web.json_response({"received": True})


def setup(app: web.Application) -> None:
    app.router.add_route("PUT", "/payments/mtn/callback", mtn_callback)
    app.router.add_post("/payments/mtn/callback", mtn_callback)
    app.router.add_get("/payments/campay/callback", campay_callback)
    app.router.add_post("/payments/campay/callback", campay_callback)
    app.router.add_post("/payments/stripe/webhook", stripe_webhook)
