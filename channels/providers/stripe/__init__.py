"""Stripe: card PaymentIntents and refunds out, its signed webhook in."""
