"""Security headers on every answer the service gives, and CORS for the API's listed origins.

One middleware answers CORS preflights for /api/v1 (204 for a listed origin, 403 otherwise) before
any route or rate limit runs. The headers themselves are put on as each answer is prepared
(`on_response_prepare`), since streamed answers (the API's SSE and WebSocket) and aiohttp's own
404/405 pages send their headers before a middleware would see them:

- Content-Security-Policy by kind: HTML pages (the console, the web phone, the API docs) may load
  scripts, styles and images from this service only (a page with inline CSS sets its own policy
  first, allowing that CSS by its hash); everything else (JSON, USSD text, CSV, files) loads nothing.
- nosniff, no framing, no Referer sent anywhere (no page reads one), no powerful browser feature.
- Strict-Transport-Security only when CHOPBAR_PUBLIC_URL is https.

Gateway webhooks keep their status, body and content type: these headers mean nothing to them.
"""
from aiohttp import web

from channels.middleware import error_body

API = "/api/v1"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
PERMISSIONS = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
               "microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()")
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other hosts of the operator's domain are not ours to pin
# What the API is called with and reads: a browser on a listed origin may send exactly these.
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
API_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "Last-Event-ID")
EXPOSED = ("ETag", "Retry-After", "Idempotent-Replayed", "Content-Disposition")  # what its answers carry for scripts
PREFLIGHT_MAX_AGE_S = 600


def page_policy(style_hashes: tuple[str, ...] = ()) -> str:
    """The HTML pages' policy, letting in inline <style> blocks only by their `'sha256-...'` hash."""
    return PAGE_POLICY.format(styles="".join(f" {h}" for h in style_hashes))


def origins(setting: str) -> frozenset[str]:
    """CHOPBAR_CORS_ORIGINS read as origins: `https://shop.example.cm, https://app.example.cm`."""
    return frozenset(part.strip().rstrip("/") for part in setting.split(",") if part.strip())


def _is_api(request: web.Request) -> bool:
    return request.path == API or request.path.startswith(API + "/")


def _vary_on_origin(response: web.StreamResponse) -> None:
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if "origin" not in {v.lower() for v in vary}:
        response.headers["Vary"] = ", ".join([*vary, "Origin"])


def setup(app: web.Application, *, cors_origins: frozenset[str], https: bool) -> None:
    """Registers the preflight middleware (first, outside every other) and the headers."""

    @web.middleware
    async def preflight(request: web.Request, handler):
        if not (request.method == "OPTIONS" and _is_api(request) and "Access-Control-Request-Method" in request.headers
                and "Origin" in request.headers):
            return await handler(request)
        origin = request.headers["Origin"]
        if origin not in cors_origins:
            return web.json_response(error_body("forbidden", f"origin {origin[:80]} may not call this API"), status=403)
        return web.Response(status=204, headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": ", ".join(API_METHODS),
            "Access-Control-Allow-Headers": ", ".join(API_HEADERS),
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_S),
            "Vary": "Origin",
        })

    async def headers(request: web.Request, response: web.StreamResponse) -> None:
        h = response.headers
        html = response.content_type == "text/html"
        h.setdefault("Content-Security-Policy", page_policy() if html else API_POLICY)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "no-referrer")
        h.setdefault("Permissions-Policy", PERMISSIONS)
        if https:
            h.setdefault("Strict-Transport-Security", HSTS)
        if cors_origins and _is_api(request):
            _vary_on_origin(response)
            origin = request.headers.get("Origin")
            if origin in cors_origins and "Access-Control-Allow-Origin" not in h:
                h["Access-Control-Allow-Origin"] = origin
                h["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)

    app.middlewares.insert(0, preflight)
    app.on_response_prepare.append(headers)
