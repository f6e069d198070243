"""`Idempotency-Key` on every API POST that creates or pays, as payment APIs do it.

The first request with a key claims it (a committed row) before it runs; its 2xx answer is then
stored, and a retry with the same key and the same request gets that answer back, marked
`Idempotent-Replayed: true`, without a second effect. The same key with another request is a 409;
a retry while the first still runs is a 409 to try again shortly. A request that fails with a 4xx
frees its key, so the app can fix the request and send it again. A claim left by a crash frees
itself after `STALE`. Keys belong to the signed-in account: two apps cannot collide. Secrets in
an answer (a card's client secret) are stored encrypted and given back in clear on a replay
(`channels.api.sealing`).
"""
import hashlib
from datetime import timedelta

from aiohttp import web

from channels.api import sealing
from channels.keys import DATABASE, SETTINGS
from core import idempotent_requests as requests
from core.errors import BadInput, Conflict

MAX_KEY = 100
STALE = timedelta(seconds=60)


class KeyReused(Conflict):
    code = "idempotency_key_reused"


def _key(request: web.Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY or not key.isascii():
        raise BadInput(f"send an Idempotency-Key header (1 to {MAX_KEY} ASCII characters) with this request")
    return key


async def _fingerprint(request: web.Request) -> str:
    body = await request.read()
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n" + body).hexdigest()


async def once(call, run) -> web.StreamResponse:
    db, key = call.app[DATABASE], _key(call.request)
    fingerprint = await _fingerprint(call.request)
    secret, context = call.app[SETTINGS].jwt_secret.get_secret_value(), f"{call.account_id}:{key}"
    earlier = await requests.claim(db, call.account_id, key, fingerprint)
    if earlier is not None:
        if earlier.fingerprint != fingerprint:
            raise KeyReused("this Idempotency-Key was used for another request: use a new key for a new request")
        if earlier.status is not None:
            try:
                body = sealing.unseal(earlier.answer or "", secret=secret, context=context)
            except sealing.Unreadable:
                raise KeyReused("the first answer to this Idempotency-Key can no longer be read: "
                                "send the request again with a new key") from None
            return web.Response(
                body=body, status=earlier.status, content_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        if db.clock() - earlier.created_at < STALE:
            raise Conflict("the first request with this Idempotency-Key is still running: retry in a moment")
        await requests.release(db, call.account_id, key)  # left by a crash: this request runs in its place
        return await once(call, run)
    try:
        response = await run()
    except BaseException:
        await requests.release(db, call.account_id, key)
        raise
    if not 200 <= response.status < 300:
        await requests.release(db, call.account_id, key)
        return response
    answer = sealing.seal(response.body.decode() if response.body else "", secret=secret, context=context)
    await requests.answered(db, call.account_id, key, response.status, answer)
    return response
