"""A simulated WhatsApp Cloud API: sending (with Meta's limits and 24-hour window), signed
webhooks for delivery statuses, and a phone's messages in (`POST /sim/meta/inbound`).
"""
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable

import aiohttp
from aiohttp import web

from simulators.background import Background
from simulators.inbound import phone_message

WINDOW_S = 24 * 3600
LIMITS = {"buttons": 3, "button_title": 20, "rows": 10, "row_title": 24, "row_description": 72, "list_button": 20, "body": 1024}


def _error(code: int, message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": {"message": message, "type": "OAuthException", "code": code}}, status=status)


def limits_broken(message: dict) -> str | None:
    """Which Cloud API limit an interactive message breaks, if any."""
    interactive = message.get("interactive", {})
    if len(interactive.get("body", {}).get("text", "")) > LIMITS["body"]:
        return "body too long"
    action = interactive.get("action", {})
    buttons = action.get("buttons", [])
    if len(buttons) > LIMITS["buttons"] or any(len(b["reply"]["title"]) > LIMITS["button_title"] for b in buttons):
        return "buttons: at most 3, titles of 20 characters"
    rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
    if len(rows) > LIMITS["rows"] or any(len(r["title"]) > LIMITS["row_title"] for r in rows):
        return "list: at most 10 rows, titles of 24 characters"
    if any(len(r.get("description", "")) > LIMITS["row_description"] for r in rows):
        return "row description over 72 characters"
    if len(action.get("button", "")) > LIMITS["list_button"]:
        return "list button label over 20 characters"
    return None


class WhatsAppCloudSimulator:
    def __init__(self, service_url: Callable[[], str], app_secret: str, *, clock=time.time) -> None:
        self.service_url = service_url
        self.app_secret = app_secret
        self.clock = clock
        self.sent: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.last_inbound: dict[str, float] = {}
        self.background = Background()

    def delivered(self, wamid: str) -> str | None:
        """The words of a text message this simulator delivered; None for anything else."""
        found = self.by_id.get(wamid)
        if not found or found.get("type") != "text":
            return None
        return str(found.get("text", {}).get("body", ""))

    async def messages(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return _error(190, "Invalid OAuth access token", 401)
        try:
            message = await request.json()
            to = str(message["to"])
            assert message.get("messaging_product") == "whatsapp" and message.get("type")
        except (ValueError, KeyError, AssertionError, TypeError):
            return _error(100, "Invalid parameter")
        if self.clock() - self.last_inbound.get(to, -WINDOW_S * 2) > WINDOW_S and message["type"] != "template":
            return _error(131047, "Re-engagement message: more than 24 hours have passed since the customer last replied")
        broken = limits_broken(message) if message["type"] == "interactive" else None
        if broken:
            return _error(131009, f"Parameter value is not valid: {broken}")
        wamid = "wamid." + secrets.token_hex(16)
        self.sent.append({"id": wamid, **message})
        self.by_id[wamid] = self.sent[-1]
        self.background.spawn(self._status(wamid, to))
        return web.json_response({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": wamid}]})

    def envelope(self, value: dict) -> dict:
        value = {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "237690000000", "phone_number_id": "100200300400500"}, **value}
        return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]}

    async def post_signed(self, payload: dict) -> int:
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            async with http.post(self.service_url() + "/whatsapp/meta", data=body,
                                 headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature}) as response:
                return response.status

    async def _status(self, wamid: str, to: str) -> None:
        status = {"id": wamid, "status": "delivered", "timestamp": str(int(self.clock())), "recipient_id": to}
        await self.post_signed(self.envelope({"statuses": [status]}))

    async def inbound(self, request: web.Request) -> web.Response:
        """A WhatsApp user writes (`text`) or taps a list row or button (`reply_id`, `reply_title`)."""
        body = await phone_message(request, "text", "reply_id", "reply_title", "name", choices={"kind": ("list", "button")})
        sender = body["from"].strip().lstrip("+")
        message = {"from": sender, "id": "wamid." + secrets.token_hex(16), "timestamp": str(int(self.clock()))}
        if "reply_id" in body:
            kind = "list_reply" if body.get("kind", "list") == "list" else "button_reply"
            message.update(type="interactive", interactive={"type": kind, kind: {"id": body["reply_id"], "title": body.get("reply_title", "")}})
        else:
            message.update(type="text", text={"body": str(body.get("text", ""))})
        self.last_inbound[sender] = self.clock()
        value = {"contacts": [{"profile": {"name": body.get("name", "Chopbar user")}, "wa_id": sender}], "messages": [message]}
        status = await self.post_signed(self.envelope(value))
        return web.json_response({"id": message["id"], "forwarded": status})

    async def drain(self) -> None:
        await self.background.drain()

    def setup(self, app: web.Application) -> None:
        app.router.add_post("/sim/meta/{version}/{phone_number_id}/messages", self.messages)
        app.router.add_post("/sim/meta/inbound", self.inbound)
