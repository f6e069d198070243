"""Stripe for card payments from the app: PaymentIntents created with the library's async client.

Stripe's webhook, checked by `Stripe-Signature`, is the source of truth for a card payment.
"""
import stripe

from channels.providers.failures import classify
from core.errors import BadInput, BadSignature
from core.models import Payment
from core.payments import ProviderAnswer

MAX_SIGNATURE_HEADER = 2048  # a timestamp and a few signatures
STATUSES = {"succeeded": "successful", "canceled": "failed", "requires_payment_method": "pending"}


class StripeCards:
    name = "stripe"
    refunds = True
    not_found_means_unsent = True  # no intent id: none was created (a repeat reuses its idempotency key)

    def __init__(self, api_key: str, base_url: str | None = None) -> None:
        self.http_client = stripe.AIOHTTPClient()
        options = {"http_client": self.http_client}
        if base_url:
            options["base_addresses"] = {"api": base_url.rstrip("/")}
        self.client = stripe.StripeClient(api_key, **options)

    async def close(self) -> None:
        await self.http_client.close_async()

    async def _call(self, coroutine):
        try:
            return await coroutine
        except stripe.APIConnectionError as exc:  # no answer: Stripe may have received it
            raise classify(exc, str(exc)) from exc
        except stripe.StripeError as exc:  # Stripe answered; the library's own refusals carry no status
            raise classify(exc.http_status or 400, str(exc)) from exc

    async def request(self, payment: Payment) -> ProviderAnswer:
        intent = await self._call(
            self.client.v1.payment_intents.create_async(
                {
                    "amount": payment.amount_xaf,  # XAF is zero-decimal at Stripe
                    "currency": "xaf",
                    "metadata": {"reference": payment.reference},
                    "automatic_payment_methods": {"enabled": True},
                },
                {"idempotency_key": f"pi-{payment.reference}"},
            )
        )
        return ProviderAnswer("pending", provider_reference=intent.id, reason=intent.client_secret)

    async def check(self, payment: Payment) -> ProviderAnswer:
        if not payment.provider_reference:
            return ProviderAnswer("not_found")
        intent = await self._call(self.client.v1.payment_intents.retrieve_async(payment.provider_reference))
        return ProviderAnswer(STATUSES.get(intent.status, "pending"), provider_reference=intent.id)

    async def refund(self, payment: Payment, amount_xaf: int) -> ProviderAnswer:
        refund = await self._call(
            self.client.v1.refunds.create_async(
                {"payment_intent": payment.provider_reference, "amount": amount_xaf},
                {"idempotency_key": f"re-{payment.reference}-{payment.refunded_xaf}"},
            )
        )
        return ProviderAnswer("successful" if refund.status == "succeeded" else "pending", provider_reference=refund.id)


def verify_signature(payload: bytes, header: str, secret: str) -> None:
    """The library's check of `Stripe-Signature` and its age, on the raw body and before anything
    parses it (`construct_event` would parse with `json.loads`, which a deep body breaks)."""
    if not header.isascii() or len(header) > MAX_SIGNATURE_HEADER:  # compare_digest refuses str that is not ASCII
        raise BadSignature("Stripe signature refused: not a Stripe-Signature header")
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except UnicodeDecodeError:  # the library decodes the body before it signs it
        raise BadInput("the body is not UTF-8") from None
    except stripe.SignatureVerificationError as exc:
        raise BadSignature(f"Stripe signature refused: {exc.user_message}") from None
