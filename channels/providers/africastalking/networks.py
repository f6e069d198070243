"""Unsigned gateways (Africa's Talking) may be limited to their own networks by setting."""
import ipaddress
from functools import cache

from aiohttp import web

from channels.keys import SETTINGS


@cache
def _networks(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip()) for part in setting.split(",") if part.strip())


def allowed_gateway(request: web.Request) -> None:
    """403 unless CHOPBAR_AT_ALLOWED_NETWORKS is empty or holds the caller's address."""
    networks = _networks(request.app[SETTINGS].africastalking.allowed_networks)
    if not networks:
        return
    try:
        address = ipaddress.ip_address(request.remote or "")
    except ValueError:
        raise web.HTTPForbidden(text="caller address unknown") from None
    if not any(address in network for network in networks):
        raise web.HTTPForbidden(text="not a gateway address")
