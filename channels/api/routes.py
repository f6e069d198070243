"""Mounts every API endpoint and the OpenAPI document made from them.

Each module imported here declares its endpoints with `channels.api.endpoints.endpoint`.
"""
from aiohttp import web

from channels.api import endpoints, openapi, realtime
from channels.api import auth  # noqa: F401
from channels.api import catalog  # noqa: F401
from channels.api import driving  # noqa: F401
from channels.api import orders  # noqa: F401
from channels.api import ordering  # noqa: F401
from channels.api import admin  # noqa: F401
from channels.api import applications  # noqa: F401
from channels.api import carts  # noqa: F401
from channels.api import paying  # noqa: F401
from channels.api import kitchen  # noqa: F401
from channels.api import menus  # noqa: F401
from channels.api import menu_files  # noqa: F401
from channels.api import people  # noqa: F401
from channels.api import second_chance  # noqa: F401
from channels.api import support_desk  # noqa: F401
from channels.api import payouts  # noqa: F401
from channels.api import operations  # noqa: F401
from channels.api import sales  # noqa: F401
from channels.api import promotions  # noqa: F401
from channels.api import loyalty  # noqa: F401
from channels.api import ratings  # noqa: F401
from channels.api import searching  # noqa: F401
from channels.api import favourites  # noqa: F401
from channels.api import privacy  # noqa: F401
from channels.api import second_factor  # noqa: F401


def setup(app: web.Application) -> None:
    realtime.setup(app)
    endpoints.install(app)
    openapi.setup(app)
