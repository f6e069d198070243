"""A simulated Stripe: form-encoded PaymentIntents, confirm, refunds, Idempotency-Key, and signed webhook events."""
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web

from simulators.payment_book import PaymentBook, SimPayment

PREFIX = "/sim/stripe"
API_VERSION = "2024-06-20"
SECRET_KEY = re.compile(r"sk_(test|live)_[0-9A-Za-z_]+")
CREATE_PARAMS = {
    "amount", "currency", "metadata", "automatic_payment_methods", "description", "customer",
    "receipt_email", "payment_method_types", "statement_descriptor_suffix", "expand",
}
DECLINE = {"code": "card_declined", "decline_code": "generic_decline", "message": "Your card was declined.", "type": "card_error"}
Answer = tuple[int, dict]


def sign(payload: bytes, secret: str, at: int | None = None) -> str:
    """A `Stripe-Signature` header as Stripe makes it: HMAC-SHA256 of "{t}.{body}"."""
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def _error(status: int, kind: str, message: str, **extra) -> Answer:
    return status, {"error": {"type": kind, "message": message, **extra}}


def _invalid(message: str, code: str, param: str | None = None) -> Answer:
    return _error(400, "invalid_request_error", message, code=code, **({"param": param} if param else {}))


def _missing(kind: str, id_: str, param: str) -> Answer:
    return _error(404, "invalid_request_error", f"No such {kind}: '{id_}'", code="resource_missing", param=param)


def nested(form) -> dict:
    """Stripe's form encoding back to objects: `metadata[order]=1` -> {"metadata": {"order": "1"}}."""
    out: dict = {}
    for key, value in form.items():
        parts = re.findall(r"[^\[\]]+", key)
        into = out
        for part in parts[:-1]:
            into = into.setdefault(part, {})
        into[parts[-1] if parts else key] = value
    return out


class StripeSimulator:
    def __init__(self, book: PaymentBook, webhook_url: Callable[[], str], webhook_secret: str) -> None:
        self.book = book
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.idempotency: dict[str, tuple[str, dict, Answer]] = {}  # key -> (path, params, first answer)
        book.notifiers["stripe"] = self.webhook

    async def _refusal(self, request: web.Request) -> web.Response | None:
        failing = await self.book.apply_faults("stripe")
        if failing:
            status, body = _error(failing, "api_error", "An error occurred with our connection to Stripe.")
            return web.json_response(body, status=status)
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not SECRET_KEY.fullmatch(key):
            status, body = _error(401, "invalid_request_error", f"Invalid API Key provided: {key[:8]}****")
            return web.json_response(body, status=status)
        return None

    def _post(self, handler: Callable[[web.Request, dict], Awaitable[Answer]]):
        """A POST as Stripe runs it: keyed, form-encoded, and replayed for a reused Idempotency-Key."""
        async def run(request: web.Request) -> web.Response:
            if (refused := await self._refusal(request)) is not None:
                return refused
            params = nested(await request.post())
            key = request.headers.get("Idempotency-Key")
            if key and key in self.idempotency:
                path, first_params, (status, body) = self.idempotency[key]
                if (path, first_params) != (request.path, params):
                    status, body = _error(
                        400, "idempotency_error",
                        f"Keys for idempotent requests can only be used with the same parameters they were first used with. "
                        f"Try using a key other than '{key}' if you meant to execute a different request.",
                    )
                return web.json_response(body, status=status, headers={"Idempotent-Replayed": "true"})
            status, body = await handler(request, params)
            if key:
                self.idempotency[key] = (request.path, params, (status, body))
            return web.json_response(body, status=status)
        return run

    def intent(self, payment: SimPayment) -> dict:
        """The PaymentIntent object as Stripe serializes it."""
        if payment.status == "successful":
            status = "succeeded"
        elif payment.status == "pending" and payment.prompted:
            status = "processing"
        else:
            status = "requires_payment_method"
        return {
            "id": payment.reference, "object": "payment_intent", "amount": payment.amount,
            "amount_received": payment.amount if status == "succeeded" else 0,
            "automatic_payment_methods": payment.detail["automatic_payment_methods"],
            "capture_method": "automatic", "client_secret": f"{payment.reference}_secret_{payment.detail['secret']}",
            "confirmation_method": "automatic", "created": int(payment.created_at), "currency": payment.currency,
            "description": payment.detail.get("description"),
            "last_payment_error": {**DECLINE, "payment_method": None} if payment.status == "failed" else None,
            "latest_charge": payment.detail.get("charge"), "livemode": False, "metadata": payment.detail["metadata"],
            "payment_method": payment.detail.get("payment_method"),
            "payment_method_types": payment.detail["payment_method_types"], "status": status,
        }

    async def create(self, request: web.Request, params: dict) -> Answer:
        unknown = sorted(set(params) - CREATE_PARAMS)
        if unknown:
            return _invalid(f"Received unknown parameter: {unknown[0]}", "parameter_unknown", unknown[0])
        amount, currency = str(params.get("amount", "")), str(params.get("currency", ""))
        metadata, automatic = params.get("metadata") or {}, params.get("automatic_payment_methods") or {}
        if not re.fullmatch(r"[0-9]+", amount) or int(amount) < 1:
            return _invalid("Missing required param: amount.", "parameter_missing", "amount")
        if not re.fullmatch(r"[a-z]{3}", currency):
            return _invalid("Invalid currency: use a lowercase ISO code.", "parameter_invalid", "currency")
        if not isinstance(metadata, dict) or not isinstance(automatic, dict):
            return _invalid("Invalid object", "parameter_invalid", "metadata")
        payment = SimPayment(
            reference="pi_" + secrets.token_hex(12), provider="stripe", phone=None, amount=int(amount), currency=currency,
            external_reference=str(metadata.get("reference", "")), prompted=False,
            detail={
                "metadata": metadata, "secret": secrets.token_hex(12), "refunded": 0,
                "description": params.get("description"), "payment_method_types": ["card"],
                "automatic_payment_methods": (
                    {"allow_redirects": "always", "enabled": True} if automatic.get("enabled") == "true" else None
                ),
            },
        )
        self.book.add(payment)
        return 200, self.intent(payment)

    async def retrieve(self, request: web.Request) -> web.Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        payment = self.book.get(request.match_info["id"])
        if payment is None or payment.provider != "stripe" or payment.kind != "collection":
            status, body = _missing("payment_intent", request.match_info["id"], "intent")
            return web.json_response(body, status=status)
        return web.json_response(self.intent(payment))

    async def confirm(self, request: web.Request, params: dict) -> Answer:
        """The app confirms with a card: charged at once in the auto modes, held `processing` in manual."""
        payment = self.book.get(request.match_info["id"])
        if payment is None or payment.provider != "stripe" or payment.kind != "collection":
            return _missing("payment_intent", request.match_info["id"], "intent")
        if payment.status == "successful" or (payment.status == "pending" and payment.prompted):
            status = self.intent(payment)["status"]
            return _error(
                400, "invalid_request_error", f"This PaymentIntent's status is {status}, so it cannot be confirmed.",
                code="payment_intent_unexpected_state", payment_intent=self.intent(payment),
            )
        payment.status, payment.reason = "pending", None  # after a decline, the customer tries another card
        payment.detail |= {"payment_method": "pm_" + secrets.token_hex(12), "charge": "ch_" + secrets.token_hex(12)}
        payment.prompted = True
        if self.book.mode == "manual":  # the card holder answers through /sim/payments
            return 200, self.intent(payment)
        self.book.settle(payment.reference, self.book.mode == "approve", reason="card_declined")
        if payment.status == "failed":  # Stripe answers a declined confirm with a 402 card error
            return 402, {"error": {**DECLINE, "payment_intent": self.intent(payment)}}
        return 200, self.intent(payment)

    async def refund(self, request: web.Request, params: dict) -> Answer:
        payment = self.book.get(str(params.get("payment_intent", "")))
        if payment is None or payment.provider != "stripe" or payment.kind != "collection":
            return _missing("payment_intent", str(params.get("payment_intent", "")), "payment_intent")
        if payment.status != "successful":
            return _invalid("This PaymentIntent does not have a successful charge to refund.", "charge_not_refundable")
        left = payment.amount - payment.detail["refunded"]
        amount = str(params.get("amount", left))
        if not re.fullmatch(r"[0-9]+", amount) or int(amount) < 1:
            return _invalid("Invalid positive integer", "parameter_invalid_integer", "amount")
        if int(amount) > left:
            message = f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})"
            return _invalid(message, "amount_too_large", "amount")
        payment.detail["refunded"] += int(amount)
        refund = SimPayment(
            reference="re_" + secrets.token_hex(12), provider="stripe", phone=None, amount=int(amount),
            currency=payment.currency, external_reference=payment.reference, kind="refund", status="successful",
        )
        self.book.add(refund)
        return 200, {
            "id": refund.reference, "object": "refund", "amount": refund.amount, "charge": payment.detail.get("charge"),
            "created": int(refund.created_at), "currency": refund.currency, "metadata": params.get("metadata") or {},
            "payment_intent": payment.reference, "reason": params.get("reason"), "status": "succeeded",
        }

    async def webhook(self, payment: SimPayment) -> None:
        """A signed `payment_intent.succeeded` or `.payment_failed` event to the endpoint's URL."""
        if payment.kind != "collection":
            return
        event = {
            "id": "evt_" + secrets.token_hex(12), "object": "event", "api_version": API_VERSION, "created": int(time.time()),
            "data": {"object": self.intent(payment)}, "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": "payment_intent.succeeded" if payment.status == "successful" else "payment_intent.payment_failed",
        }
        payload = json.dumps(event).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": sign(payload, self.webhook_secret)}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            async with http.post(self.webhook_url(), data=payload, headers=headers) as response:
                await response.read()

    def setup(self, app: web.Application) -> None:
        app.router.add_post(f"{PREFIX}/v1/payment_intents", self._post(self.create))
        app.router.add_get(f"{PREFIX}/v1/payment_intents/{{id}}", self.retrieve)
        app.router.add_post(f"{PREFIX}/v1/payment_intents/{{id}}/confirm", self._post(self.confirm))
        app.router.add_post(f"{PREFIX}/v1/refunds", self._post(self.refund))
