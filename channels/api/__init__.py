"""The JSON REST API for smartphone apps and tools, under /api/v1."""
