"""Mounts every API endpoint and the OpenAPI document made from them."""
from aiohttp import web

from channels import realtime
from channels.api import auth, catalog, endpoints, openapi, ordering, orders  # noqa: F401 - they declare endpoints


def setup(app: web.Application) -> None:
    realtime.setup(app)
    endpoints.install(app)
    openapi.setup(app)
