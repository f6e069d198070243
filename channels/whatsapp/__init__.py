"""WhatsApp through Meta's Cloud API: the webhook in, and the dialog rendered for it."""
