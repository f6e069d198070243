"""A simulated Africa's Talking SMS gateway: the send API, delivery reports, and phones texting in.

`POST /sim/at/version1/messaging` takes the real form (`username`, `to`, `message`, header
`apiKey`) and answers the real JSON; a delivery report follows to the service's
`/sms/africastalking/delivery`. `POST /sim/at/inbound` `{"from", "text"}` is a phone sending an
SMS to the short code: the gateway posts it to `/sms/africastalking` as AT does.
`POST /sim/at/faults` `{"delay_s", "fail_status"}` makes the send API slow or failing, as
`/sim/providers/{name}/faults` does for the payment providers; an empty POST lifts them.
"""
import asyncio
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

import aiohttp
from aiohttp import web

from simulators.background import Background
from simulators.faults import check_fail_status, check_seconds, faults_of
from simulators.inbound import phone_message

SHORT_CODE = "2468"
NUMBER = re.compile(r"^\+\d{1,3}\d{3,}$")  # what the AT SDK itself checks


@dataclass
class GatewayFaults:
    delay_s: float = 0.0  # answer each send after this long (the message is taken once the wait is over)
    fail_status: int | None = None  # answer each send with this HTTP status, taking nothing


def faults_from(body: object) -> GatewayFaults:
    """Faults from JSON; a missing field takes its default, a wrong one raises ValueError."""
    faults = faults_of(GatewayFaults, body)
    check_seconds(faults.delay_s, "delay_s", most=60)
    check_fail_status(faults.fail_status)
    return faults


class SmsGateway:
    def __init__(self, service_url: Callable[[], str], *, report_delay_s: float = 0.05, delay_s: float = 0.0) -> None:
        self.service_url = service_url
        self.report_delay_s = report_delay_s
        self.sent: list[dict] = []  # what phones received, oldest first
        self.by_id: dict[str, dict] = {}
        self.faults = GatewayFaults(delay_s=delay_s)
        self.background = Background()

    def delivered(self, message_id: str) -> str | None:
        """The text a phone received under the gateway's message id, if this gateway took it."""
        found = self.by_id.get(message_id)
        return found["text"] if found else None

    async def messaging(self, request: web.Request) -> web.Response:
        if self.faults.delay_s:
            await asyncio.sleep(self.faults.delay_s)
        if self.faults.fail_status:
            return web.Response(status=self.faults.fail_status, text="simulated failure")
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
            self.by_id[message_id] = self.sent[-1]
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
        body = await phone_message(request, "text")
        form = {
            "from": body["from"].strip(), "to": SHORT_CODE, "text": str(body.get("text", "")),
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

    async def get_faults(self, request: web.Request) -> web.Response:
        return web.json_response(asdict(self.faults))

    async def set_faults(self, request: web.Request) -> web.Response:
        try:
            raw = await request.read()
            self.faults = faults_from(json.loads(raw) if raw.strip() else {})  # an empty POST lifts every fault
        except (ValueError, TypeError, RecursionError) as exc:
            return web.json_response({"error": {"code": "bad_input", "message": str(exc)}}, status=400)
        return web.json_response(asdict(self.faults))

    def setup(self, app: web.Application) -> None:
        app.router.add_get("/sim/at/received", self.received)
        app.router.add_get("/sim/at/faults", self.get_faults)
        app.router.add_post("/sim/at/faults", self.set_faults)
        app.router.add_post("/sim/at/version1/messaging", self.messaging)
        app.router.add_post("/sim/at/inbound", self.inbound)
