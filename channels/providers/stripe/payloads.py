"""Stripe's webhook events, once `Stripe-Signature` holds: the event, and the PaymentIntent an
event about a card payment carries."""
from typing import Any

from channels.payloads.fields import GatewayId, Note, Payload, Reference, Word


class StripeEvent(Payload):
    id: GatewayId  # evt_...: the event is deduplicated by it
    type: Word
    data: Any = None  # read by the event's type


class StripeHead(Payload):
    """Whatever an event says of itself, read when it fits nothing else: for the audit log."""

    id: Any = None
    type: Any = None


class PaymentError(Payload):
    message: Note | None = None


class Intent(Payload):
    id: Reference  # pi_...: the payment's provider reference
    last_payment_error: PaymentError | None = None


class IntentData(Payload):
    object: Intent
