"""The outbox worker that hands messages to the senders, and what a sender offers it."""
