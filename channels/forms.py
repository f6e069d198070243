"""Reading a gateway's form post: required fields present, or a clear 400."""
from aiohttp import web
from multidict import MultiDictProxy


async def required_fields(request: web.Request, *names: str) -> MultiDictProxy[str]:
    try:
        form = await request.post()
    except Exception:  # a body that is not a form at all: the caller's mistake, said plainly
        raise web.HTTPBadRequest(text="expected an application/x-www-form-urlencoded body") from None
    missing = [name for name in names if name not in form]
    if missing:
        raise web.HTTPBadRequest(text=f"missing form field(s): {', '.join(missing)}")
    return form
