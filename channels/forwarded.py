"""The caller's own address behind the balancer: a request that comes from a trusted proxy
(CHOPBAR_TRUSTED_PROXIES) is seen from the address that proxy says it came from, so the gateway
networks' check and the per-address rate limits see the caller, not the proxy.

The address taken is the rightmost one in X-Forwarded-For that is not itself a trusted proxy:
a client may write anything at the left of that header, but the proxies each append the address
they were called from. No trusted proxy set (the default): the header is ignored.
"""
import ipaddress

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(setting: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _inside(address: str | None, trusted: tuple[Network, ...]) -> bool:
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def caller(remote: str | None, forwarded: str | None, trusted: tuple[Network, ...]) -> str | None:
    """The caller's address: `remote` unless it is a trusted proxy that forwarded the request."""
    if not trusted or not forwarded or not _inside(remote, trusted):
        return remote
    for part in reversed(forwarded.split(",")):
        address = part.strip()
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a header no proxy of ours wrote: trust none of it
        if not _inside(address, trusted):
            return address
    return remote


def real_client(trusted_setting: str):
    trusted = networks(trusted_setting)

    @web.middleware
    async def seen_from_the_caller(request: web.Request, handler):
        if trusted:
            address = caller(request.remote, request.headers.get("X-Forwarded-For"), trusted)
            if address != request.remote:
                request = request.clone(remote=address)
        return await handler(request)

    return seen_from_the_caller
