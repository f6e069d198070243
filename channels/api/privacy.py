"""A person's own data over REST: the whole export (signed in, or once through the link MYDATA
sent by SMS) and erasing the account (`DELETE /api/v1/me` with `{"confirm": true}`)."""
from typing import Any

from aiohttp import web
from pydantic import Field

from channels.api.endpoints import Call, endpoint
from channels.api.schemas import Shape
from channels.keys import DATABASE, DIALOGS, REVOCATIONS
from channels.sms.privacy import DIALOG_KEYS
from core.errors import BadInput
from core.use_cases import erasure, personal_data

TAG = "privacy"
Rows = list[dict[str, Any]]


class ExportOut(Shape):
    schema_version: int = Field(description="1; a field added keeps it, a field changed or removed raises it")
    generated_at: str
    account: dict[str, Any] = Field(description="id, phone, name, language, created_at, roles")
    consent: dict[str, Any] = Field(description="messages_stopped: STOP said and not START since")
    account_events: Rows = Field(description="sign-ins, role changes and the like, without anyone else's number")
    addresses: Rows
    orders: Rows = Field(description="each with its lines, payments and deliveries (no driver named)")
    deliveries_driven: Rows = Field(description="as a driver: the jobs driven, without the customers")
    messages_sent_to_you: Rows = Field(description="codes in them masked")
    messages_from_you: Rows = Field(description="the texts kept while we could not answer at once")
    tickets: Rows
    loyalty: dict[str, Any]
    invitations: Rows = Field(description="the friend's number masked")
    favourites: Rows
    ratings: Rows
    sign_ins: Rows
    sign_in_attempts: Rows = Field(description="codes tried to sign in: kind, success, time, client address")
    second_factor: dict[str, Any] = Field(description="enrolled (true or false) and when it was confirmed")


class EraseIn(Shape):
    confirm: bool = Field(False, description="true: erase now; anything else is refused, changing nothing")


class ErasedOut(Shape):
    erased: bool
    account_id: int


def _attachment(document: dict[str, Any]) -> web.Response:
    body = ExportOut.model_validate(document).model_dump_json(indent=2).encode()
    return web.Response(body=body, content_type="application/json", headers={
        "Content-Disposition": 'attachment; filename="chopbar-my-data.json"', "Cache-Control": "no-store"})


@endpoint("GET", "/api/v1/me/export", tag=TAG, response=ExportOut, roles="any signed-in account: its own",
          summary="Everything Chopbar holds about me, as one JSON document")
async def mine(call: Call) -> web.Response:
    return _attachment(await personal_data.export(call.app[DATABASE], call.account_id))


@endpoint("GET", "/api/v1/me/export/{token}", tag=TAG, response=ExportOut, auth=False,
          summary="The same document through the one-time link MYDATA sends by SMS",
          extra_responses={404: "no such link", 410: "the link was used already or has expired"})
async def by_link(call: Call) -> web.Response:
    return _attachment(await personal_data.download(call.app[DATABASE], call.path["token"]))


@endpoint("DELETE", "/api/v1/me", tag=TAG, body=EraseIn, response=ErasedOut, roles="any signed-in account: its own",
          summary="Erase my personal data; orders keep their amounts, without my details",
          extra_responses={400: "confirm is not true", 409: "an order or money of mine is not settled yet"})
async def erase(call: Call) -> ErasedOut:
    if call.body.confirm is not True:
        raise BadInput('send {"confirm": true} to erase your data; nothing was changed')
    erased = await erasure.erase_account(call.app[DATABASE], call.account_id, actor=f"account:{call.account_id}")
    for key in DIALOG_KEYS:
        await call.app[DIALOGS].store.delete(key.format(phone=erased.phone))
    for revocation in erased.revocations:
        await call.app[REVOCATIONS].revoke(revocation)
    return ErasedOut(erased=True, account_id=erased.account_id)
