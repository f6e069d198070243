"""WhatsApp Cloud API sender: POST /{version}/{phone number id}/messages with a bearer token.

A body that is a Cloud API message part (JSON with `type`) goes as it is; plain text goes as a
text message. Outside the 24-hour window Meta refuses free-form messages (error 131047, 470
before): that failure, `outside_window`, asks the outbox worker to fall back to SMS.
"""
import asyncio
import json

import aiohttp

from channels.providers.failures import classify
from channels.senders.sender import Sent
from core.provider_error import ProviderError

OUTSIDE_WINDOW = {131047, 470}


def as_message(to_phone: str, body: str) -> dict:
    try:
        part = json.loads(body)
    except ValueError:
        part = None
    if not isinstance(part, dict) or "type" not in part:
        part = {"type": "text", "text": {"body": body}}
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to_phone.lstrip("+"), **part}


class WhatsAppCloud:
    provider = "meta"

    def __init__(self, base_url: str, version: str, phone_number_id: str, token: str, timeout_s: float = 10.0) -> None:
        self.url = f"{base_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.session: aiohttp.ClientSession | None = None

    async def send(self, to_phone: str, body: str) -> Sent:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self.session.post(
                self.url, json=as_message(to_phone, body), headers={"Authorization": f"Bearer {self.token}"}
            ) as response:
                answer = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise classify(exc, f"Cloud API unreachable: {exc!r}") from exc
        if status >= 400:
            error = (answer or {}).get("error", {})
            if error.get("code") in OUTSIDE_WINDOW:
                raise ProviderError(f"{error.get('code')}: {error.get('message')}", retryable=False, status=status,
                                    outside_window=True)
            raise classify(status, f"HTTP {status}: {error.get('message')}")
        return Sent(self.provider, answer["messages"][0]["id"])

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
