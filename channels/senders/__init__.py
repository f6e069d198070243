"""Outbound senders (Africa's Talking SMS, ...) and the outbox worker that drives them."""
