"""A menu change made through one web process shows on another's USSD menu within seconds: two
services on the same database (and the same Redis when the suite runs with one)."""
import asyncio
import itertools
import os
import time

import pytest

from chopbar.app import create_app
from tests import demo
from tests.channels.test_api_auth import sign_in
from tests.channels.test_api_menus import add_grills, restaurant_id_of
from tests.conftest import free_port
from tests.ussd import gateway_for, pick

NUMBERS = (f"+2376995{n:05d}" for n in itertools.count(60000))  # a new caller each look: hops are limited per number
WINDOW_S = 6.0  # well inside the snapshot's 15 s lifetime: only the news can bring the change this fast


async def service(aiohttp_server, aiohttp_client, settings, clock):
    server = await aiohttp_server(create_app(settings, clock=clock), host="127.0.0.1", port=settings.port)
    return await aiohttp_client(server)


async def categories_shown(client) -> str:
    session = gateway_for(client).dial(next(NUMBERS))
    await session.open()
    await pick(session, "Commander")
    await pick(session, "Yaounde")
    return await pick(session, "Chez Maman Ngo")


async def seen_within(client, label: str, window_s: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < window_s:
        if label in await categories_shown(client):
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    return None


async def test_a_dish_added_through_one_process_shows_on_the_others_ussd_menu(aiohttp_server, aiohttp_client, settings, clock):
    one = await service(aiohttp_server, aiohttp_client, settings, clock)
    two = await service(aiohttp_server, aiohttp_client, settings.model_copy(update={"port": free_port()}), clock)
    assert "Brochettes" not in await categories_shown(two)  # its snapshot is loaded, and old after the change
    owner = await sign_in(one, demo.ALL_DAY_YAOUNDE.phone)
    await add_grills(one, await restaurant_id_of(one), owner)
    assert "Brochettes" in await categories_shown(one)  # the process that made it: at once
    assert await seen_within(two, "Brochettes", WINDOW_S) is not None


@pytest.mark.skipif(not os.environ.get("CHOPBAR_REDIS_URL"), reason="the announcement goes through Redis")
async def test_with_redis_the_announcement_alone_brings_the_change_at_once(aiohttp_server, aiohttp_client, settings, clock):
    one = await service(aiohttp_server, aiohttp_client, settings, clock)
    rarely = settings.model_copy(update={"port": free_port(), "catalog_check_interval": 3600.0})
    two = await service(aiohttp_server, aiohttp_client, rarely, clock)
    assert "Brochettes" not in await categories_shown(two)
    await asyncio.sleep(0.3)  # its listener subscribed
    owner = await sign_in(one, demo.ALL_DAY_YAOUNDE.phone)
    await add_grills(one, await restaurant_id_of(one), owner)
    assert await seen_within(two, "Brochettes", 2.0) is not None
