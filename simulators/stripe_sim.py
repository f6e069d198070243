"""A simulated Stripe: PaymentIntents, confirm, refunds, and signed webhook events.

Form-encoded requests with `Authorization: Bearer sk_...` and Idempotency-Key, JSON answers,
and events signed the way `stripe.Webhook.construct_event` checks them.
"""
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable

import aiohttp
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment

PREFIX = "/sim/stripe"


def _error(status: int, kind: str, message: str) -> web.Response:
    return web.json_response({"error": {"type": kind, "message": message}}, status=status)


def sign(payload: bytes, secret: str, at: int | None = None) -> str:
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


class StripeSimulator:
    def __init__(self, book: PaymentBook, webhook_url: Callable[[], str], webhook_secret: str) -> None:
        self.book = book
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.idempotency: dict[str, tuple[dict, dict]] = {}
        book.notifiers["stripe"] = self.webhook

    async def _guard(self, request: web.Request) -> web.Response | None:
        failing = await self.book.apply_faults("stripe")
        if failing:
            return _error(failing, "api_error", "simulated failure")
        if not request.headers.get("Authorization", "").startswith(("Bearer sk_test_", "Bearer sk_live_")):
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        return None

    def intent(self, payment: SimPayment) -> dict:
        status = {"pending": payment.detail.get("state", "requires_payment_method"), "successful": "succeeded",
                  "failed": "requires_payment_method"}[payment.status]
        body = {
            "id": payment.reference, "object": "payment_intent", "amount": payment.amount, "currency": payment.currency,
            "status": status, "client_secret": f"{payment.reference}_secret_{payment.detail['secret']}",
            "metadata": payment.detail["metadata"], "created": int(payment.created_at), "livemode": False,
        }
        if payment.status == "failed":
            body["last_payment_error"] = {"code": "card_declined", "message": "Your card was declined."}
        return body

    async def create(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        form = dict(await request.post())
        key = request.headers.get("Idempotency-Key")
        if key and key in self.idempotency:
            params, answer = self.idempotency[key]
            if params != form:
                return _error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters.")
            return web.json_response(answer)
        amount, currency = form.get("amount", ""), form.get("currency", "")
        if not amount.isdigit() or not currency or currency != currency.lower():
            return _error(400, "invalid_request_error", "amount (integer) and currency (lowercase) are required")
        metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
        payment = SimPayment(
            reference="pi_" + secrets.token_hex(12), provider="stripe", phone=None, amount=int(amount), currency=currency,
            external_reference=metadata.get("reference", ""), kind="card",
            detail={"metadata": metadata, "secret": secrets.token_hex(12)},
        )
        self.book.payments[payment.reference] = payment
        answer = self.intent(payment)
        if key:
            self.idempotency[key] = (form, answer)
        return web.json_response(answer)

    async def retrieve(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        payment = self.book.get(request.match_info["id"])
        if payment is None or payment.provider != "stripe":
            return _error(404, "invalid_request_error", "No such payment_intent")
        return web.json_response(self.intent(payment))

    async def confirm(self, request: web.Request) -> web.Response:
        """The app confirms with a card; the simulated card answers as CHOPBAR_SIM_MOMO says."""
        if (failed := await self._guard(request)) is not None:
            return failed
        payment = self.book.get(request.match_info["id"])
        if payment is None:
            return _error(404, "invalid_request_error", "No such payment_intent")
        if self.book.mode == "manual":
            payment.detail["state"] = "processing"
        else:
            self.book.settle(payment.reference, self.book.mode == "approve", reason="card_declined")
        return web.json_response(self.intent(payment))

    async def refund(self, request: web.Request) -> web.Response:
        if (failed := await self._guard(request)) is not None:
            return failed
        form = dict(await request.post())
        payment = self.book.get(form.get("payment_intent", ""))
        if payment is None or payment.status != "successful":
            return _error(400, "invalid_request_error", "This PaymentIntent has not been charged")
        return web.json_response(
            {"id": "re_" + secrets.token_hex(12), "object": "refund", "amount": int(form.get("amount", payment.amount)),
             "currency": payment.currency, "payment_intent": payment.reference, "status": "succeeded"}
        )

    async def webhook(self, payment: SimPayment) -> None:
        kind = "payment_intent.succeeded" if payment.status == "successful" else "payment_intent.payment_failed"
        event = {
            "id": "evt_" + secrets.token_hex(12), "object": "event", "type": kind, "created": int(time.time()),
            "data": {"object": self.intent(payment)}, "livemode": False, "api_version": "2024-06-20",
        }
        payload = json.dumps(event).encode()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            await http.post(
                self.webhook_url(), data=payload,
                headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload, self.webhook_secret)},
            )

    def setup(self, app: web.Application) -> None:
        app.router.add_post(f"{PREFIX}/v1/payment_intents", self.create)
        app.router.add_get(f"{PREFIX}/v1/payment_intents/{{id}}", self.retrieve)
        app.router.add_post(f"{PREFIX}/v1/payment_intents/{{id}}/confirm", self.confirm)
        app.router.add_post(f"{PREFIX}/v1/refunds", self.refund)
