"""SMS: the keyword conversation that every SMS gateway's inbound messages go through (the gateways are in channels/providers)."""
