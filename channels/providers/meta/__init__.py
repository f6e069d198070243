"""Meta's WhatsApp Cloud API: the signed webhook in (messages, statuses), messages out."""
