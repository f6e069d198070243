"""Dialog sessions survive between hops in memory or in Redis, expire, and stay small."""
import os

import asyncio

import pytest

from channels.session_store import MemoryStore, OverLimit, RedisStore, Stale
from chopbar.app import REDIS_CONNECTIONS, _redis as app_redis
from state_machines.dialog import DialogState

from tests import redis_keys

pytestmark = pytest.mark.integration  # the same tests on both stores, Redis included


@pytest.fixture(params=["memory", "redis"])
async def store(request):
    if request.param == "memory":
        yield MemoryStore()
        return
    url = os.environ.get("CHOPBAR_REDIS_URL")
    if not url:
        pytest.skip("CHOPBAR_REDIS_URL not set: Redis runs in the second CI pass")
    redis = app_redis(url)  # the service's own client and pool
    prefix = redis_keys.prefix("sessions-")
    yield RedisStore(redis, prefix)
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_a_session_comes_back_as_it_was_stored(store):
    state = DialogState(screen="dishes", restaurant_id=3, lines=[[12, 2, [4, 7]]], keys=["1", "2", "3"])
    await store.put("dialog:ussd:abc", state.to_dict(), 60)
    assert DialogState.from_dict(await store.get("dialog:ussd:abc")) == state


async def test_a_deleted_or_unknown_session_is_none(store):
    await store.put("k", {"a": 1}, 60)
    await store.delete("k")
    assert await store.get("k") is None
    assert await store.get("never") is None


async def test_a_full_basket_session_stays_under_half_a_kilobyte(store):
    state = DialogState(
        screen="summary", stack=[["home", 0, 0], ["places", 0, 0], ["restaurants", 1, 0], ["dishes", 0, 0]],
        keys=["1", "2", "98", "7", "1", "2", "1", "2", "1", "1", "1", "bastos", "Face Total", "1"],
        account_id=1234, restaurant_id=12, city="Yaounde", lines=[[101, 2, [11, 14]], [102, 1, []]],
        fulfilment="delivery", payment="cash",
        address={"city": "Yaounde", "quarter": "Bastos", "quarter_id": 1, "landmark": "Face Total", "lat": 3.89237, "lon": 11.51148},
    )
    size = await store.put("big", state.to_dict(), 60)
    assert size < 512


async def test_memory_sessions_expire_after_their_time():
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    await store.put("k", {"a": 1}, 10)
    now[0] += 11
    assert await store.get("k") is None


async def test_memory_store_drops_the_oldest_when_full():
    store = MemoryStore(max_entries=2)
    for key in ("a", "b", "c"):
        await store.put(key, {"k": key}, 60)
    assert await store.get("a") is None and await store.get("c") == {"k": "c"}


async def test_redis_sessions_carry_their_time_to_live(store):
    if not isinstance(store, RedisStore):
        pytest.skip("Redis only")
    await store.put("ttl", {"a": 1}, 600)
    assert 590 <= await store.redis.ttl(store.prefix + "ttl") <= 600


async def test_a_hop_reads_and_writes_several_keys_in_one_go(store):
    await store.put("old", {"x": 1}, 60)
    sizes = await store.write({"a": ({"n": 1}, 60), "b": ({"n": 2}, 60)}, deletes=("old",))
    assert sizes == {"a": 7, "b": 7}
    assert await store.get_many("a", "b", "old", "never") == [{"n": 1}, {"n": 2}, None, None]


async def test_a_count_written_with_the_session_is_read_with_it_and_its_window_opens_once(store):
    for _ in range(3):
        await store.write({"dialog": ({"n": 1}, 60)}, counts={"hops:+237699555001": 60})
    assert await store.get_many("dialog", "hops:+237699555001", "hops:+237699555002") == [{"n": 1}, 3, None]
    if isinstance(store, RedisStore):
        assert 55 <= await store.redis.ttl(store.prefix + "hops:+237699555001") <= 60


async def test_a_memory_count_starts_again_when_its_window_ends():
    now = [1000.0]
    store = MemoryStore(clock=lambda: now[0])
    await store.write({}, counts={"hops:x": 60})
    now[0] += 30
    await store.write({}, counts={"hops:x": 60})  # inside the first window: it does not move
    assert await store.get("hops:x") == 2
    now[0] += 31
    assert await store.get("hops:x") is None
    await store.write({}, counts={"hops:x": 60})
    assert await store.get("hops:x") == 1


async def test_more_callers_at_once_than_connections_wait_their_turn(store):
    await store.put("busy", {"n": 1}, 60)
    found = await asyncio.gather(*(store.get_many("busy", f"resume:{i}") for i in range(REDIS_CONNECTIONS * 4)))
    assert all(f == [{"n": 1}, None] for f in found)


async def test_a_conditional_write_is_made_only_while_every_key_holds_what_the_hop_read(store):
    await store.write({"dialog": ({"n": 1}, 60)})
    read = await store.read(("dialog", "resume"))
    assert read.values == ({"n": 1}, None)
    await store.write({"dialog": ({"n": 2}, 60)}, expect=dict(zip(("dialog", "resume"), read.texts)))
    with pytest.raises(Stale) as stale:  # the same texts again: the session moved on meanwhile
        await store.write({"dialog": ({"n": 3}, 60), "resume": ({"r": 1}, 60)},
                          expect=dict(zip(("dialog", "resume"), read.texts)), limit=("hops:x", 5))
    assert stale.value.fresh.values == ({"n": 2}, None) and stale.value.fresh.count == 0
    assert await store.get_many("dialog", "resume") == [{"n": 2}, None]  # nothing of the refused write


async def test_a_write_checked_against_a_limit_is_not_made_at_the_limit(store):
    for _ in range(2):
        await store.write({"dialog": ({"n": 1}, 60)}, counts={"hops:y": 60}, limit=("hops:y", 2))
    with pytest.raises(OverLimit):
        await store.write({"dialog": ({"n": 2}, 60)}, counts={"hops:y": 60}, limit=("hops:y", 2))
    assert await store.get_many("dialog", "hops:y") == [{"n": 1}, 2]


async def test_redis_recalls_what_it_wrote_or_read_and_reads_what_it_does_not_know(store):
    if not isinstance(store, RedisStore):
        pytest.skip("Redis only")
    await store.write({"dialog": ({"n": 1}, 60)}, deletes=("resume",))
    recalled = await store.read(("dialog", "resume"), "hops:z", recall=True)
    assert recalled.recalled and recalled.values == ({"n": 1}, None) and recalled.count is None
    unknown = await store.read(("dialog", "other"), "hops:z", recall=True)
    assert not unknown.recalled and unknown.count == 0
    other_process = RedisStore(store.redis, store.prefix)
    await other_process.write({"dialog": ({"n": 9}, 60)})
    with pytest.raises(Stale) as stale:  # what this process recalls is proven by the write, and found stale
        await store.write({"dialog": ({"n": 2}, 60)}, expect=dict(zip(("dialog", "resume"), recalled.texts)))
    assert stale.value.fresh.values == ({"n": 9}, None)
    assert (await store.read(("dialog", "resume"), recall=True)).values == ({"n": 9}, None)  # and now known
