"""Africa's Talking SMS over its REST API with aiohttp (the SDK is synchronous `requests` code).

POST {base}/version1/messaging, form `username`, `to`, `message`, optional `from`, header
`apiKey`. Recipient status codes 100-102 mean accepted; 401-407 are refusals that retrying will
not change (but for a balance to top up, and gateway trouble); HTTP answers and transport errors
are classified as every provider's are.
"""
import asyncio

import aiohttp

from channels.providers.failures import classify
from channels.senders.sender import Sent
from core.provider_error import ProviderError

ACCEPTED = {100, 101, 102}
RETRYABLE = {405, 500, 501, 502}  # insufficient balance can be topped up; gateway trouble passes


class AfricasTalkingSms:
    provider = "africastalking"

    def __init__(self, base_url: str, username: str, api_key: str, sender_id: str = "", timeout_s: float = 10.0) -> None:
        self.url = base_url.rstrip("/") + "/version1/messaging"
        self.username = username
        self.api_key = api_key
        self.sender_id = sender_id
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.session: aiohttp.ClientSession | None = None

    async def send(self, to_phone: str, body: str) -> Sent:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=self.timeout)
        form = {"username": self.username, "to": to_phone, "message": body, "bulkSMSMode": "1"}
        if self.sender_id:
            form["from"] = self.sender_id
        try:
            async with self.session.post(
                self.url, data=form, headers={"apiKey": self.api_key, "Accept": "application/json"}
            ) as response:
                if response.status >= 500:
                    raise classify(response.status, f"HTTP {response.status}")
                if response.status >= 400:
                    raise classify(response.status, f"HTTP {response.status}: {(await response.text())[:120]}")
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise classify(exc, f"gateway unreachable: {exc!r}") from exc
        recipients = answer.get("SMSMessageData", {}).get("Recipients", [])
        if not recipients:
            raise ProviderError(answer.get("SMSMessageData", {}).get("Message", "no recipient accepted"), retryable=False)
        first = recipients[0]
        code = int(first.get("statusCode", 0))
        if code not in ACCEPTED:
            raise ProviderError(f"{code} {first.get('status')}", retryable=code in RETRYABLE)
        return Sent(self.provider, first["messageId"])

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
