"""Africa's Talking USSD: form in, `CON `/`END ` text out.

Africa's Talking signs nothing; production restricts these paths to the gateway's networks
(CHOPBAR_AT_ALLOWED_NETWORKS). The whole session path arrives in `text` on every hop.
"""
import logging

from aiohttp import web

from channels.forms import required_fields
from channels.gateway_networks import allowed_gateway
from channels.keys import DIALOGS, SETTINGS
from core.errors import BadInput
from core.phones import to_e164
from menus.render import ussd
from state_machines.dialog import Hop

log = logging.getLogger(__name__)
MAX_TEXT = 500  # a person types a few dozen keys in a session; more is not a phone


async def receive(request: web.Request) -> web.Response:
    allowed_gateway(request)
    form = await required_fields(request, "sessionId", "phoneNumber", "text")
    settings = request.app[SETTINGS]
    text = form["text"]
    if len(text) > MAX_TEXT or not form["sessionId"].strip():
        raise web.HTTPBadRequest(text="sessionId empty or text too long")
    try:
        phone = to_e164(form["phoneNumber"])
    except BadInput:
        return web.Response(text="END Sorry, this number cannot use Chopbar.", content_type="text/plain")
    hop = Hop(
        channel="ussd",
        session_id=form["sessionId"],
        phone=phone,
        keys=text.split("*") if text else [],  # whole path, every hop
    )
    view = await request.app[DIALOGS].answer(hop)
    return web.Response(text=ussd.render(view, settings.ussd_max_chars), content_type="text/plain")


async def session_ended(request: web.Request) -> web.Response:
    """End-of-session notice: logged for operators; the state simply expires."""
    allowed_gateway(request)
    form = await request.post()
    log.info(
        "ussd session ended",
        extra={"fields": {k: form.get(k) for k in ("sessionId", "status", "hopsCount", "durationInMillis", "errorMessage")}},
    )
    return web.Response(text="OK")


def setup(app: web.Application) -> None:
    app.router.add_post("/ussd/africastalking", receive)
    app.router.add_post("/ussd/africastalking/events", session_ended)
