"""Reading a gateway's form post defensively: its size, its field count, strict UTF-8, one value
per field we use; then the provider's schema, or a clear 4xx."""
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict

from channels.payloads.fields import Payload, fit
from core.errors import BadInput

FORM_MAX_BYTES = 32 * 1024  # gateways post a few hundred bytes; an SMS of 1 600 characters fits
MAX_FIELDS = 64  # Twilio sends about twenty, Africa's Talking fewer
FORM_TYPES = ("application/x-www-form-urlencoded", "")  # some clients leave the type out


async def read_form(request: web.Request) -> MultiDict[str]:
    if request.content_type not in FORM_TYPES:
        raise web.HTTPUnsupportedMediaType(text="expected an application/x-www-form-urlencoded body")
    raw = await request.read()
    if len(raw) > FORM_MAX_BYTES:
        raise web.HTTPRequestEntityTooLarge(max_size=FORM_MAX_BYTES, actual_size=len(raw))
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise BadInput("the form is not UTF-8") from None
    except ValueError:  # parse_qsl's own cap
        raise BadInput(f"more than {MAX_FIELDS} form fields") from None
    return MultiDict(pairs)


@cache
def _names(model: type[Payload]) -> frozenset[str]:
    """The form fields `model` reads (a handful of models, each asked on every request)."""
    return frozenset(field.alias or name for name, field in model.model_fields.items())


def fields_for(model: type[Payload], form: MultiDict[str]) -> dict[str, str]:
    """The form's values of the fields `model` reads; one of them given twice is ambiguous."""
    names = _names(model)
    repeated = sorted(name for name in names if len(form.getall(name, ())) > 1)
    if repeated:
        raise BadInput(f"form field(s) given more than once: {', '.join(repeated)}")
    return {name: value for name, value in form.items() if name in names}


async def form_payload(request: web.Request, model: type[Payload]) -> Any:
    """An unsigned gateway's form as `model`: anything that does not fit is a 400."""
    return fit(model, fields_for(model, await read_form(request)))
