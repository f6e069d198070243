"""The web phone simulator at /sim/phone: customer, restaurant and driver phones side by side.

The page is rendered here; its script (simulators/static/phone.js) texts through the gateway
simulators' own inbound paths (`/sim/at/inbound`, `/sim/meta/inbound`), reads `/sim/messages`
and `/sim/payments`, and dials through `POST /sim/phone/ussd`, which makes each hop the way the
Africa's Talking gateway simulator does (simulators/ussd_gateway.py): a sessionId per dial and
the whole running `text` every time. Like every simulator it reaches the service over HTTP only.
"""
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import aiohttp
import aiohttp_jinja2
import jinja2
from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulators.ussd_gateway import Screen, UssdGateway, UssdSession

HERE = Path(__file__).resolve().parent
TEMPLATES = web.AppKey("phone_templates", jinja2.Environment)  # its own key: other pages keep theirs
LANGUAGES = ("en", "fr")
ROLES = ("customer", "restaurant", "driver")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
HOP_TIMEOUT_S = 10  # the real gateway gives a hop a few seconds before it drops the session


def N_(message: str) -> str:
    """Marks a label for extraction; translated when the page is rendered."""
    return message


# What the page and its script show, by key; the script reads them from the page.
LABELS = {
    "title": N_("Chopbar phones"),
    "intro": N_("Customer, restaurant and driver phones on the live service: dial the USSD code, text by SMS or WhatsApp, answer payment prompts."),
    "language": N_("Page language"),
    "customer": N_("Customer"),
    "restaurant": N_("Restaurant"),
    "driver": N_("Driver"),
    "number": N_("Phone number"),
    "number_hint": N_("Pick a demo person or type a number."),
    "bad_number": N_("Type a number like +237699000001."),
    "screen": N_("USSD screen"),
    "entry": N_("Dial or answer"),
    "entry_hint": N_("Dial the service code, then type the number of your choice."),
    "bad_code": N_("Dial a service code like {code}."),
    "keypad": N_("Keypad"),
    "call": N_("Call"),
    "send": N_("Send"),
    "hang_up": N_("Hang up"),
    "idle": N_("No session: dial {code}."),
    "waiting": N_("Waiting for the network..."),
    "reply_expected": N_("Reply expected"),
    "ended": N_("Session ended"),
    "compose": N_("Text the service"),
    "channel": N_("Channel"),
    "sms": N_("SMS"),
    "whatsapp": N_("WhatsApp"),
    "message": N_("Message"),
    "send_text": N_("Send message"),
    "inbox": N_("Messages"),
    "no_messages": N_("No messages yet."),
    "you": N_("You"),
    "not_forwarded": N_("Not delivered: the service answered {status}."),
    "unreachable": N_("The service cannot be reached."),
    "queued": N_("queued"),
    "sent": N_("sent"),
    "delivered": N_("delivered"),
    "failed": N_("failed"),
    "prompt": N_("Mobile money"),
    "prompt_text": N_("{provider}: pay {amount} {currency} to Chopbar?"),
    "approve": N_("Approve"),
    "decline": N_("Decline"),
    "approved": N_("Payment approved."),
    "declined": N_("Payment declined."),
    "no_script": N_("These phones need JavaScript."),
}


class Press(BaseModel):
    """One press on a phone: a dial (no session_id, no keys) or an answer within the session."""

    model_config = ConfigDict(extra="forbid")
    phone: str = Field(pattern=E164.pattern)
    code: str = Field(pattern=r"^\*[0-9*]{1,30}#$")
    session_id: str | None = Field(default=None, pattern=r"^ATUid_[0-9a-f]{32}$")
    keys: list[Annotated[str, Field(max_length=182)]] = Field(default=[], max_length=100)  # 182: a USSD string's longest


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


class WebPhone:
    def __init__(self, service_url: Callable[[], str], *, translate: Callable[[str, str], str],
                 default_language: str, service_code: str) -> None:
        self.service_url = service_url
        self.translate = translate
        self.default_language = default_language if default_language in LANGUAGES else "en"
        self.service_code = service_code

    def labels(self, language: str) -> dict[str, str]:
        return {key: self.translate(text, language) for key, text in LABELS.items()}

    async def page(self, request: web.Request) -> web.Response:
        language = request.query.get("lang", self.default_language)
        if language not in LANGUAGES:
            return web.Response(status=400, text=f"lang is one of {', '.join(LANGUAGES)}")
        numbers = {}
        for role in ROLES:
            number = request.query.get(role, "").strip().replace(" ", "")
            if number and not number.startswith("+"):
                number = "+" + number  # a '+' that arrived decoded as a space
            if number and not E164.match(number):
                return web.Response(status=400, text=f"{role} is a phone number like +237699000001")
            numbers[role] = number
        other = "fr" if language == "en" else "en"
        context = {
            "lang": language, "other": other, "other_name": {"en": "English", "fr": "Français"}[other],
            "t": self.labels(language), "roles": ROLES, "numbers": numbers, "code": self.service_code,
        }
        response = aiohttp_jinja2.render_template("phone.html", request, context, app_key=TEMPLATES)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def ussd(self, request: web.Request) -> web.Response:
        """One USSD hop, made as the gateway makes it; answers the screen the phone shows."""
        try:
            hop = Press.model_validate_json(await request.read())
        except ValidationError as exc:
            return _error(400, "bad_input", _problem(exc))
        if hop.session_id is None and hop.keys:
            return _error(400, "bad_input", "keys: a dial has none; answers need the dial's session_id")
        if any("\x00" in key for key in hop.keys):
            return _error(400, "bad_input", "keys: an answer has no NUL character")
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=HOP_TIMEOUT_S)) as http:

            async def post(path: str, form: dict[str, str]) -> tuple[int, str]:
                async with http.post(self.service_url() + path, data=form) as response:
                    return response.status, await response.text()

            gateway = UssdGateway(post, hop.code)
            session = gateway.dial(hop.phone) if hop.session_id is None else UssdSession(
                gateway, hop.phone, hop.code, session_id=hop.session_id, keys=list(hop.keys))
            try:
                screen = await session.replay()
            except (aiohttp.ClientError, TimeoutError):
                screen = Screen(text="Connection problem or invalid MMI code.", ended=True, status=0, raw="")
        return web.json_response(_shown(session, screen))

    async def script(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "static" / "phone.js", headers={"Content-Type": "text/javascript; charset=utf-8"})

    async def stylesheet(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "static" / "phone.css", headers={"Content-Type": "text/css; charset=utf-8"})

    def setup(self, app: web.Application) -> None:
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"), app_key=TEMPLATES)
        app.router.add_get("/sim/phone", self.page)
        app.router.add_get("/sim/phone/phone.js", self.script)
        app.router.add_get("/sim/phone/phone.css", self.stylesheet)
        app.router.add_post("/sim/phone/ussd", self.ussd)


def _shown(session: UssdSession, screen: Screen) -> dict:
    return {"session_id": session.session_id, "text": screen.text, "ended": screen.ended, "status": screen.status,
            "raw": screen.raw}
