"""A simulated Africa's Talking SMS gateway: the send API, delivery reports, and phones texting in.

`POST /sim/at/version1/messaging` takes the real form (`username`, `to`, `message`, header
`apiKey`) and answers the real JSON; a delivery report follows to the service's
`/sms/africastalking/delivery`. `POST /sim/at/inbound` `{"from", "text"}` is a phone sending an
SMS to the short code: the gateway posts it to `/sms/africastalking` as AT does.
"""
import asyncio
import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timezone

import aiohttp
from aiohttp import web

from simulators.background import Background

SHORT_CODE = "2468"
NUMBER = re.compile(r"^\+\d{1,3}\d{3,}$")  # what the AT SDK itself checks


class SmsGateway:
    def __init__(self, service_url: Callable[[], str], *, report_delay_s: float = 0.05) -> None:
        self.service_url = service_url
        self.report_delay_s = report_delay_s
        self.sent: list[dict] = []  # what phones received, oldest first
        self.fail_status: int | None = None
        self.background = Background()

    async def messaging(self, request: web.Request) -> web.Response:
        if self.fail_status:
            return web.Response(status=self.fail_status, text="simulated failure")
        form = await request.post()
        if not request.headers.get("apiKey") or not form.get("username"):
            return web.Response(status=401, text="The supplied authentication is invalid")
        if not form.get("message") or not form.get("to"):
            return web.Response(status=400, text="Missing to or message")
        recipients = []
        for number in str(form["to"]).split(","):
            number = number.strip()
            if not NUMBER.match(number):
                recipients.append({"statusCode": 403, "number": number, "cost": "0", "status": "InvalidPhoneNumber", "messageId": "None"})
                continue
            message_id = "ATXid_" + secrets.token_hex(16)
            self.sent.append({"id": message_id, "to": number, "text": str(form["message"]), "from": form.get("from") or SHORT_CODE})
            recipients.append({"statusCode": 101, "number": number, "cost": "XAF 25.0000", "status": "Success", "messageId": message_id})
            self._spawn(self._report(message_id, number))
        accepted = sum(1 for r in recipients if r["statusCode"] == 101)
        answer = {"SMSMessageData": {"Message": f"Sent to {accepted}/{len(recipients)} Total Cost: XAF {25 * accepted}", "Recipients": recipients}}
        # Exactly "application/json", no charset: the official SDK compares the header to that.
        return web.Response(body=json.dumps(answer).encode(), status=201, headers={"Content-Type": "application/json"})

    async def _report(self, message_id: str, number: str) -> None:
        await asyncio.sleep(self.report_delay_s)
        form = {"id": message_id, "status": "Success", "phoneNumber": number, "networkCode": "62401", "retryCount": "0"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            await http.post(self.service_url() + "/sms/africastalking/delivery", data=form)

    async def inbound(self, request: web.Request) -> web.Response:
        """A phone texts the short code; the gateway forwards it to the service."""
        body = await request.json()
        form = {
            "from": str(body["from"]), "to": SHORT_CODE, "text": str(body.get("text", "")),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "id": "ATXid_" + secrets.token_hex(16), "linkId": secrets.token_hex(8),
        }
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            async with http.post(self.service_url() + "/sms/africastalking", data=form) as response:
                status = response.status
        return web.json_response({"id": form["id"], "forwarded": status})

    def _spawn(self, coroutine) -> None:
        self.background.spawn(coroutine)

    async def drain(self) -> None:
        """Waits for every answer, callback and report under way (tests use it)."""
        await self.background.drain()

    async def received(self, request: web.Request) -> web.Response:
        """What the gateway took for delivery, as it saw it (benchmarks count duplicates here)."""
        return web.json_response({"count": len(self.sent), "distinct": len({(m["to"], m["text"]) for m in self.sent})})

    def setup(self, app: web.Application) -> None:
        app.router.add_get("/sim/at/received", self.received)
        app.router.add_post("/sim/at/version1/messaging", self.messaging)
        app.router.add_post("/sim/at/inbound", self.inbound)
