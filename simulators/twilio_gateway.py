"""A simulated Twilio: a phone's SMS or WhatsApp message posted to the service as Twilio posts
it, signed with the account's auth token, and the TwiML answer read back.
"""
import secrets
from collections.abc import Callable

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
NUMBER = "+237690000000"


class TwilioGateway:
    def __init__(self, service_url: Callable[[], str], auth_token: str) -> None:
        self.service_url = service_url
        self.validator = RequestValidator(auth_token)

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

    def setup(self, app: web.Application) -> None:
        app.router.add_post("/sim/twilio/inbound", self.inbound)
