"""SMS channels: inbound gateways and the keyword conversation they share."""
