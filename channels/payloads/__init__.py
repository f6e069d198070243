"""What each gateway and provider sends us, as pydantic models: the fields we use, typed and capped."""
