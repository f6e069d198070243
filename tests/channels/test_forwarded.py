"""Behind the balancer: a trusted proxy's X-Forwarded-For names the caller, so the gateway
networks' check sees the gateway; a client's own header, or one from an untrusted peer, is not
believed."""
import pytest
from hypothesis import given, strategies as st

from channels.forwarded import caller, networks
from chopbar.app import create_app
from chopbar.settings import Settings

PROXY = networks("127.0.0.1/32,172.30.0.10/32")
GATEWAY = "196.201.214.5"
HOP = {"sessionId": "ATUid_fwd", "serviceCode": "*384*2468#", "phoneNumber": "+237699555501", "text": ""}


def test_the_caller_is_the_rightmost_address_no_trusted_proxy_wrote():
    assert caller("127.0.0.1", GATEWAY, PROXY) == GATEWAY
    assert caller("127.0.0.1", f"{GATEWAY}, 172.30.0.10", PROXY) == GATEWAY  # two proxies of ours in a row
    assert caller("127.0.0.1", f"{GATEWAY}, 10.9.9.9", PROXY) == "10.9.9.9"  # what a client wrote at the left is not believed
    assert caller("10.9.9.9", GATEWAY, PROXY) == "10.9.9.9"  # only a trusted peer may say who called
    assert caller("127.0.0.1", "not-an-address", PROXY) == "127.0.0.1"
    assert caller("127.0.0.1", GATEWAY, ()) == "127.0.0.1"  # no trusted proxy set: the header is ignored
    assert caller("127.0.0.1", None, PROXY) == "127.0.0.1"


@given(st.lists(st.ip_addresses(v=4).map(str), min_size=1, max_size=5))
def test_a_client_cannot_name_an_address_its_proxy_did_not_append(written):
    """Whatever a client writes, the proxy appends the address it saw: that one is the caller."""
    assert caller("127.0.0.1", ", ".join([*written, "10.9.9.9"]), PROXY) == "10.9.9.9"


def test_a_setting_that_is_no_network_stops_the_start_saying_so():
    with pytest.raises(ValueError, match="comma-separated networks"):
        Settings(trusted_proxies="172.30.0.10/33")


async def _hop(aiohttp_client, settings, forwarded: str | None, *, trusted: str):
    at = settings.africastalking.model_copy(update={"allowed_networks": "196.201.214.0/24"})
    client = await aiohttp_client(create_app(settings.model_copy(update={"trusted_proxies": trusted, "africastalking": at})))
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return await client.post("/ussd/africastalking", data=HOP, headers=headers)


async def test_a_gateway_behind_the_balancer_reaches_the_unsigned_path(aiohttp_client, settings):
    response = await _hop(aiohttp_client, settings, GATEWAY, trusted="127.0.0.1/32")
    assert response.status == 200 and (await response.text()).startswith("CON ")


async def test_anyone_else_behind_the_balancer_is_refused(aiohttp_client, settings):
    assert (await _hop(aiohttp_client, settings, "41.202.219.1", trusted="127.0.0.1/32")).status == 403
    assert (await _hop(aiohttp_client, settings, f"{GATEWAY}, 41.202.219.1", trusted="127.0.0.1/32")).status == 403


async def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(aiohttp_client, settings):
    assert (await _hop(aiohttp_client, settings, GATEWAY, trusted="")).status == 403
