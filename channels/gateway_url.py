"""The URL a gateway called, as it saw it: behind a proxy, rebuilt from the forwarded headers."""
from aiohttp import web

from channels.keys import SETTINGS


def public_url(request: web.Request) -> str:
    """What Twilio signed: CHOPBAR_PUBLIC_URL, else X-Forwarded-Proto/Host, else the request's own."""
    configured = request.app[SETTINGS].public_url
    if configured:
        return configured.rstrip("/") + request.path_qs
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{scheme}://{host}{request.path_qs}"
