"""Stripe's webhook, checked by `Stripe-Signature`: once its signature holds, a card payment's answer.

Every event is deduplicated by its id. A signed event we cannot apply is acknowledged and
recorded in the audit log, so Stripe stops retrying it.
"""
import logging

from aiohttp import web
from pydantic import ValidationError

from channels.keys import DATABASE, SETTINGS
from channels.payloads import ignored
from channels.payloads.fields import Unfit, fit, problems
from channels.providers.stripe.client import verify_signature
from channels.providers.stripe.payloads import IntentData, StripeEvent, StripeHead
from core import payments
from core.dedupe import first_time
from core.payment_hints import by_provider_reference

log = logging.getLogger(__name__)
STRIPE_ANSWERS = {"payment_intent.succeeded": "successful", "payment_intent.payment_failed": "failed"}


async def stripe_webhook(request: web.Request) -> web.Response:
    payload = await request.read()
    secret = request.app[SETTINGS].stripe.webhook_secret.get_secret_value()
    verify_signature(payload, request.headers.get("Stripe-Signature", ""), secret)
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
        payment = await by_provider_reference(unit, intent.id)
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
    app.router.add_post("/payments/stripe/webhook", stripe_webhook)
