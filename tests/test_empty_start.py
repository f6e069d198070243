"""Starting from nothing, as production does (CHOPBAR_SEED_DEMO=0): the quarter gazetteer and no
other data; a first admin made, a first restaurant applies, is approved and is listed."""
import pytest
from sqlalchemy import func, select

from channels.keys import DATABASE
from chopbar.app import create_app
from core.accounts import make_admin
from core.models import Account, MenuItem, Quarter, Restaurant
from core.quarters import load_quarters
from tests.channels.test_api_applications import APPLICANT, application
from tests.channels.test_api_auth import bearer, sign_in
from tests.sms import last

ADMIN = "+237677000777"


@pytest.fixture
def empty_url(databases):
    url = databases.fresh(seeded=False)
    yield url
    databases.drop(url)


@pytest.fixture
async def empty(empty_url, aiohttp_server, aiohttp_client, settings, clock):
    """The service on a migrated database that holds nothing, with the demo data off."""
    ours = settings.model_copy(update={"database_url": empty_url, "seed_demo": False})
    server = await aiohttp_server(create_app(ours, clock=clock), host="127.0.0.1", port=ours.port)
    return await aiohttp_client(server)


async def count(client, column) -> int:
    async with client.app[DATABASE].unit() as unit:
        return await unit.session.scalar(select(func.count(column)))


async def test_an_empty_database_starts_with_the_gazetteer_and_nothing_else(empty):
    assert await count(empty, Quarter.id) == len(load_quarters())
    assert (await count(empty, Restaurant.id), await count(empty, Account.id), await count(empty, MenuItem.id)) == (0, 0, 0)
    listed = await empty.get("/api/v1/restaurants")
    assert listed.status == 200 and (await listed.json())["items"] == []


async def test_a_first_admin_approves_a_first_restaurant_from_nothing(empty):
    async with empty.app[DATABASE].unit() as unit:
        await make_admin(unit, ADMIN, default_language="fr", actor="cli")
    admin = bearer(await sign_in(empty, ADMIN))
    applicant = bearer(await sign_in(empty, APPLICANT))
    made = await empty.post("/api/v1/restaurant-applications", json=application(), headers=applicant)
    assert made.status == 201, await made.text()
    restaurant_id = (await made.json())["restaurant_id"]
    approved = await empty.post(f"/api/v1/admin/restaurants/{restaurant_id}/approve", json={}, headers=admin)
    assert approved.status == 200, await approved.text()
    assert "est validé" in await last(empty, APPLICANT)
    listed = await (await empty.get("/api/v1/restaurants")).json()
    assert [r["id"] for r in listed["items"]] == [restaurant_id]
