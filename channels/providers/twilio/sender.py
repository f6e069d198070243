"""Twilio SMS (and WhatsApp, `whatsapp:` addresses) through the `twilio` library's async client.

The client always calls api.twilio.com; `base_url` replaces that host, which is how the
simulator (or a regional edge) is reached. Status callbacks come back to /twilio/status.
"""
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from channels.providers.failures import classify
from channels.senders.sender import Sent

TWILIO_API = "https://api.twilio.com"


class _Rebased(AsyncTwilioHttpClient):
    def __init__(self, base_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def request(self, method, url, *args, **kwargs):
        return await super().request(method, url.replace(TWILIO_API, self.base_url, 1), *args, **kwargs)


class TwilioSms:
    provider = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str, status_callback: str, base_url: str = "",
                 whatsapp: bool = False) -> None:
        self.http = _Rebased(base_url or TWILIO_API, timeout=10)
        self.client = Client(account_sid, auth_token, http_client=self.http)
        self.from_number = from_number
        self.status_callback = status_callback
        self.prefix = "whatsapp:" if whatsapp else ""

    async def send(self, to_phone: str, body: str) -> Sent:
        try:
            message = await self.client.messages.create_async(
                to=self.prefix + to_phone, from_=self.prefix + self.from_number, body=body,
                status_callback=self.status_callback,
            )
        except TwilioRestException as exc:
            raise classify(exc.status, f"{exc.status} {exc.code}: {exc.msg}") from exc
        except Exception as exc:  # the HTTP client's own errors: connection refused, timeouts
            raise classify(exc, f"Twilio unreachable: {exc!r}") from exc
        return Sent(self.provider, message.sid)

    async def close(self) -> None:
        await self.http.close()
