"""Africa's Talking USSD: form in, `CON `/`END ` text out.

Africa's Talking signs nothing; production restricts these paths to the gateway's networks
(CHOPBAR_AT_ALLOWED_NETWORKS). The whole session path arrives in `text` on every hop. A form
that does not fit its schema (`channels.providers.africastalking.payloads`) is refused with a 400.
"""
import logging
import time

from aiohttp import web

from channels.forms import form_payload
from channels.providers.africastalking.networks import allowed_gateway
from channels.keys import DATABASE, DIALOGS, SETTINGS
from channels.metrics import for_app as metrics_of
from channels.providers.africastalking.payloads import UssdHop, UssdSessionEnded
from core.errors import BadInput
from core.use_cases import business
from core.phones import to_e164
from menus import refusals
from menus.render import ussd
from state_machines.dialog import Hop

log = logging.getLogger(__name__)


async def receive(request: web.Request) -> web.Response:
    allowed_gateway(request)
    form = await form_payload(request, UssdHop)
    settings = request.app[SETTINGS]
    try:
        phone = to_e164(form.phoneNumber)
    except BadInput:
        view = refusals.view(refusals.NOT_A_PHONE, None)  # no number, no language: both
        return web.Response(text=ussd.render(view, settings.ussd_max_chars), content_type="text/plain")
    hop = Hop(
        channel="ussd",
        session_id=form.sessionId,
        phone=phone,
        keys=form.text.split("*") if form.text else [],  # whole path, every hop
    )
    started = time.perf_counter()
    answer = await request.app[DIALOGS].answer(hop)  # rendered for USSD by the engine, as it pages
    if (metrics := metrics_of(request.app)) is not None:
        metrics.ussd_hop(answer.view.screen, time.perf_counter() - started)
    return web.Response(text=answer.body, content_type="text/plain")


async def session_ended(request: web.Request) -> web.Response:
    """End-of-session notice: logged for operators, each field cut short, and the session as its
    last hop left it counted once in the USSD funnel (the state then simply expires). Counting
    here keeps the hops themselves free of it."""
    allowed_gateway(request)
    notice = await form_payload(request, UssdSessionEnded)
    log.info("ussd session ended", extra={"fields": notice.model_dump()})
    if notice.sessionId:
        ended = await request.app[DIALOGS].ended(notice.sessionId)
        if ended is not None:
            counted = await business.count_session(request.app[DATABASE], ended, tz=request.app[SETTINGS].timezone)
            if counted and (metrics := metrics_of(request.app)) is not None:
                metrics.ussd_session_ended(ended.last, ended.finished)
    return web.Response(text="OK")


def setup(app: web.Application) -> None:
    app.router.add_post("/ussd/africastalking", receive)
    app.router.add_post("/ussd/africastalking/events", session_ended)
