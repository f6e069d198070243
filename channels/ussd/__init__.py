"""USSD gateways."""
