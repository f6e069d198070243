"""Two web processes behind a balancer without stickiness, sharing Redis: each hop may land on
either. A process starts a hop from what it last wrote of the session, with no read; these
tests hold that it never answers or keeps anything from a copy another process has moved on
from, that the hop limit still holds, and that a hop that recalls costs one Redis command."""
import os

import pytest
from sqlalchemy import func, select

from channels.dialogs.engine import Dialogs
from channels.number_limits import NumberLimits
from channels.session_store import FallbackStore, RedisStore
from chopbar.app import _redis as app_redis
from core.models import Ticket, TicketMessage
from menus.render import ussd
from state_machines.dialog import Hop
from tests import redis_keys
from tests.ussd import number_of
from core.sealing import blind

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis():
    url = os.environ.get("CHOPBAR_REDIS_URL")
    if not url:
        pytest.skip("CHOPBAR_REDIS_URL not set: Redis runs in the second CI pass")
    client = app_redis(url)  # the service's own client and pool
    yield client
    await client.aclose()


class Counting:
    """The client's commands, counted: what a hop costs in round trips."""

    def __init__(self, redis) -> None:
        self.redis = redis
        self.commands = 0

    def register_script(self, script):
        inner = self.redis.register_script(script)

        async def call(*args, **kwargs):
            self.commands += 1
            return await inner(*args, **kwargs)

        return call

    async def mget(self, *args, **kwargs):
        self.commands += 1
        return await self.redis.mget(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.redis, name)


def process(db, redis, prefix: str, hops_per_min: int = 60) -> Dialogs:
    """One web process's engine, as `chopbar.app` builds it: Redis, memory while it is away."""
    store = RedisStore(Counting(redis), prefix)
    return Dialogs(
        db, store, ussd_store=FallbackStore(store), tz="Africa/Douala", default_language="fr",
        ussd_code="*384*2468#", renderers={"ussd": lambda view: ussd.show(view, 160)},
        limits=NumberLimits(None, hops_per_min, 20),
    )


def commands(dialogs: Dialogs) -> int:
    return dialogs.store.redis.commands


@pytest.fixture
def two(db, redis):
    prefix = redis_keys.prefix("shared-")
    return process(db, redis, prefix), process(db, redis, prefix)


class Phone:
    def __init__(self, phone: str, session_id: str) -> None:
        self.phone, self.session_id, self.keys, self.body = phone, session_id, [], ""

    async def hop(self, dialogs: Dialogs, *keys: str):
        self.keys += keys
        answer = await dialogs.answer(Hop("ussd", self.session_id, self.phone, list(self.keys)))
        self.body = answer.body
        return answer

    def number(self, label: str) -> str:
        found = number_of(self.body, label)
        assert found is not None, f"{label!r} not in {self.body!r}"
        return found


async def test_hops_alternating_between_processes_show_what_one_process_shows(db, redis, two):
    a, b = two
    alone = process(db, redis, redis_keys.prefix("alone-"))
    shared, single = Phone("+237655771001", "shared-1"), Phone("+237655771001", "single-1")
    for label in (None, "Commander", "Yaounde", "Chez Maman Ngo", "Plats", "Poulet DG"):
        keys = () if label is None else (single.number(label),)
        expected = await single.hop(alone, *keys)
        got = await shared.hop(a if len(shared.keys) % 2 == 0 else b, *keys)
        assert got.body == expected.body
    for _ in range(3):  # the options, the quantity, then the basket: each on the other process
        expected = await single.hop(alone, "1")
        got = await shared.hop(a if len(shared.keys) % 2 == 0 else b, "1")
        assert got.body == expected.body
    assert got.view.screen == "fulfilment"
    while got.view.screen != "placed":  # to the pickup, paid cash, and the confirm
        label = next(label for label in ("emporter", "Especes", "Confirmer") if number_of(got.body, label))
        expected = await single.hop(alone, single.number(label))
        got = await shared.hop(a if len(shared.keys) % 2 == 0 else b, shared.number(label))
        assert got.view.screen == expected.view.screen


async def test_a_process_that_wrote_the_session_last_answers_the_next_hop_in_one_command(two):
    a, _ = two
    phone = Phone("+237655771002", "one-command")
    await phone.hop(a)  # the dial reads (a new session, the caller's resume record and count), then writes
    assert commands(a) == 2
    await phone.hop(a, phone.number("Commander"))
    await phone.hop(a, phone.number("Yaounde"))
    assert commands(a) == 4  # one conditional write each, no read


async def test_a_copy_another_process_moved_on_from_is_caught_by_the_write_and_the_hop_runs_again(two):
    a, b = two
    phone = Phone("+237655771003", "stale-1")
    await phone.hop(a)
    await phone.hop(a, phone.number("Commander"))
    await phone.hop(b, phone.number("Yaounde"))  # b reads a's write, answers and writes
    restaurants = phone.body
    before = commands(a)
    back = await phone.hop(a, "0")  # a still holds the session at "places": its write finds b's
    assert back.view.screen == "places"
    assert commands(a) - before == 2  # the refused write (which read b's session), then the write
    before = commands(b)
    again = await phone.hop(b, phone.number("Yaounde"))  # b's copy, at "restaurants", is now the stale one
    assert again.body == restaurants
    assert commands(b) - before == 2


async def test_a_replayed_hop_that_writes_to_the_database_keeps_nothing_from_a_stale_copy(db, two):
    a, b = two
    phone = Phone("+237655771004", "talk-1")
    await phone.hop(a)
    await phone.hop(a, phone.number("Nous ecrire"))
    message = "Ma commande est en retard, merci de verifier"
    sent = await phone.hop(b, message)  # b opens the ticket
    assert sent.view.screen == "talk_sent"
    replay = await phone.hop(a)  # the gateway sends the same hop again, to a: its copy is at "talk"
    assert replay.body == sent.body
    async with db.unit() as unit:
        messages = await unit.session.scalar(
            select(func.count()).select_from(TicketMessage).join(Ticket).where(Ticket.phone_key == blind(phone.phone))
        )
    assert messages == 1  # a's run from its stale copy sent it again, rolled back before its commit


async def test_the_hop_limit_holds_for_hops_that_read_nothing_first(db, redis):
    prefix = redis_keys.prefix("limit-")
    a, b = process(db, redis, prefix, hops_per_min=4), process(db, redis, prefix, hops_per_min=4)
    phone = Phone("+237655771005", "limit-1")
    await phone.hop(a)
    await phone.hop(b, "98")
    await phone.hop(a, "0")
    await phone.hop(a, "98")  # the fourth hop in the minute
    refused = await phone.hop(a, "0")  # a recalls the session, and its write finds the count at 4
    assert refused.view.end and ("Too many" in refused.body or "Trop" in refused.body)
    assert (await a.ussd_store.get(f"hops:{phone.phone}")) == 4  # a refused hop is not counted
    assert (await a.ussd_store.get("dialog:ussd:limit-1"))["keys"] == ["98", "0", "98"]
