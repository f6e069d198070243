"""What gateways and providers send us, as pydantic models: the shared field types, and what was ignored."""
