"""Faithful stand-ins for everything outside: gateways, providers, a feature phone."""
