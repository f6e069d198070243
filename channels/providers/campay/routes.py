"""CamPay's webhook: JWT-signed, deduplicated, and still only a reason to ask CamPay the status.

A webhook whose signature fails is refused before anything is stored; a signed one we cannot
apply is acknowledged and recorded in the audit log, so CamPay stops retrying it.
"""
from aiohttp import web
from multidict import MultiDict
from pydantic import ValidationError

from channels.forms import FORM_MAX_BYTES, fields_for, read_form
from channels.keys import DATABASE, SETTINGS, WAKE
from channels.payloads import ignored
from channels.payloads.fields import Unfit, fit
from channels.providers.campay.client import verify_webhook
from channels.providers.campay.payloads import FLAT, CampayWebhook
from core.dedupe import first_time
from core.errors import BadInput
from core.payment_hints import check_soon


async def _campay_fields(request: web.Request) -> dict[str, str]:
    """The webhook's fields from the query string, and from a form or flat JSON body."""
    fields = MultiDict(request.query)
    if request.method == "POST" and request.content_type == "application/json":
        raw = await request.read()
        if len(raw) > FORM_MAX_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=FORM_MAX_BYTES, actual_size=len(raw))
        try:
            body = FLAT.validate_json(raw or b"{}")
        except ValidationError:
            raise BadInput("expected one flat JSON object of CamPay's fields") from None
        fields.extend((name, str(value)) for name, value in body.items() if value is not None)
    elif request.method == "POST":
        fields.extend(await read_form(request))
    return fields_for(CampayWebhook, fields)


async def campay_callback(request: web.Request) -> web.Response:
    params = await _campay_fields(request)
    verify_webhook(params, request.app[SETTINGS].campay.webhook_key.get_secret_value())  # 403 before anything is stored
    try:
        hook = fit(CampayWebhook, params)
    except Unfit as exc:
        await ignored.ignore(request.app[DATABASE], "campay", str(exc), reference=params.get("reference"))
        return web.Response(status=200)
    async with request.app[DATABASE].unit() as unit:
        if await first_time(unit, "campay", f"{hook.reference}:{hook.status}"):
            await check_soon(unit, reference=hook.external_reference, provider_reference=hook.reference)
            request.app[WAKE].set()
    return web.Response(status=200)


def setup(app: web.Application) -> None:
    app.router.add_get("/payments/campay/callback", campay_callback)
    app.router.add_post("/payments/campay/callback", campay_callback)
