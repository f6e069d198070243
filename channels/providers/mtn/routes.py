"""MTN MoMo's callback: an unsigned hint, deduplicated, that brings the next status check forward.

Its body is read by its schema (`payloads`): one that does not fit is a 400.
"""
from aiohttp import web

from channels.keys import DATABASE, WAKE
from channels.payloads.fields import fit
from channels.providers.mtn.payloads import MtnCallback, MtnHeaders
from core.dedupe import first_time
from core.errors import BadInput
from core.payment_hints import check_soon


async def mtn_callback(request: web.Request) -> web.Response:
    raw = await request.read()
    body = fit(MtnCallback, raw or b"{}", from_json=True)
    reference = body.externalId or fit(MtnHeaders, {"X-Reference-Id": request.headers.get("X-Reference-Id")}).reference
    if not reference:
        raise BadInput("externalId missing")
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "mtn", f"{reference}:{body.status}:{body.financialTransactionId}"):
            await check_soon(unit, reference=reference)
            request.app[WAKE].set()
    return web.Response(status=200)


def setup(app: web.Application) -> None:
    app.router.add_route("PUT", "/payments/mtn/callback", mtn_callback)
    app.router.add_post("/payments/mtn/callback", mtn_callback)
