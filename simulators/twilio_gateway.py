"""A simulated Twilio: a phone's SMS or WhatsApp message posted to the service as Twilio posts
it, signed with the account's auth token, and the TwiML answer read back; and the Messages
API the service sends through, with signed status callbacks.
"""
import secrets
from collections.abc import Callable

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

from simulators.background import Background

ACCOUNT_SID = "AC" + "0" * 32
NUMBER = "+237690000000"


class TwilioGateway:
    def __init__(self, service_url: Callable[[], str], auth_token: str) -> None:
        self.service_url = service_url
        self.validator = RequestValidator(auth_token)
        self.sent: list[dict] = []
        self.by_sid: dict[str, dict] = {}
        self.background = Background()

    def delivered(self, sid: str) -> str | None:
        """The text a phone received under Twilio's message sid, if this simulator sent it."""
        found = self.by_sid.get(sid)
        return found["body"] if found else None

    def form(self, sender: str, body: str, *, whatsapp: bool) -> dict[str, str]:
        prefix = "whatsapp:" if whatsapp else ""
        sid = "SM" + secrets.token_hex(16)
        return {
            "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID,
            "From": prefix + sender, "To": prefix + NUMBER, "Body": body, "NumMedia": "0", "NumSegments": "1",
            **({"WaId": sender.lstrip("+"), "ProfileName": "Chopbar user"} if whatsapp else {}),
        }

    async def deliver(self, form: dict[str, str], *, whatsapp: bool) -> tuple[int, str]:
        url = self.service_url() + ("/twilio/whatsapp" if whatsapp else "/twilio/sms")
        signature = self.validator.compute_signature(url, form)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            async with http.post(url, data=form, headers={"X-Twilio-Signature": signature}) as response:
                return response.status, await response.text()

    async def inbound(self, request: web.Request) -> web.Response:
        """`{"from", "body", "whatsapp": bool}`: returns the service's TwiML answer."""
        body = await request.json()
        whatsapp = bool(body.get("whatsapp"))
        status, twiml = await self.deliver(self.form(str(body["from"]), str(body.get("body", "")), whatsapp=whatsapp), whatsapp=whatsapp)
        return web.json_response({"status": status, "twiml": twiml})

    async def create_message(self, request: web.Request) -> web.Response:
        """POST /2010-04-01/Accounts/{sid}/Messages.json, as the `twilio` library sends it."""
        if not request.headers.get("Authorization", "").startswith("Basic "):
            return web.json_response({"code": 20003, "message": "Authenticate", "status": 401}, status=401)
        form = await request.post()
        if not form.get("To") or not form.get("Body") or not form.get("From"):
            return web.json_response({"code": 21604, "message": "A 'To', 'From' and 'Body' are required", "status": 400}, status=400)
        sid = "SM" + secrets.token_hex(16)
        self.sent.append({"sid": sid, "to": form["To"], "from": form["From"], "body": form["Body"]})
        self.by_sid[sid] = self.sent[-1]
        if form.get("StatusCallback"):
            self.background.spawn(self._status(str(form["StatusCallback"]), sid, str(form["To"])))
        resource = {"sid": sid, "account_sid": request.match_info["sid"], "to": form["To"], "from": form["From"],
                    "body": form["Body"], "status": "queued", "num_segments": "1", "direction": "outbound-api"}
        return web.json_response(resource, status=201)

    async def _status(self, url: str, sid: str, to: str) -> None:
        form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "MessageStatus": "delivered", "To": to, "From": NUMBER}
        signature = self.validator.compute_signature(url, form)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            await http.post(url, data=form, headers={"X-Twilio-Signature": signature})

    async def drain(self) -> None:
        await self.background.drain()

    def setup(self, app: web.Application) -> None:
        app.router.add_post("/sim/twilio/inbound", self.inbound)
        app.router.add_post("/sim/twilio/2010-04-01/Accounts/{sid}/Messages.json", self.create_message)
