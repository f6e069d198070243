"""Calling a provider's HTTP API with a timeout; trouble on the way is classified as a `ProviderError`."""
from typing import Any

import aiohttp

from channels.providers.failures import classify
from core.provider_error import ProviderError

TIMEOUT_S = 10.0


class ProviderHttp:
    """One aiohttp session per provider; JSON or form in, (status, JSON) out."""

    def __init__(self, base_url: str, *, timeout_s: float = TIMEOUT_S) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.session: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=self.timeout)
        return self.session

    async def call(self, method: str, path: str, *, ok: tuple[int, ...] = (200, 201, 202), **kwargs: Any) -> tuple[int, Any]:
        url = self.base_url + path
        try:
            async with self._session().request(method, url, **kwargs) as response:
                text = await response.text()
                body: Any = None
                if text and response.content_type == "application/json":
                    body = await response.json(content_type=None)
                status = response.status
        except TimeoutError as exc:
            raise classify(exc, f"{method} {path}: no answer in {self.timeout.total} s") from exc
        except aiohttp.ClientConnectionError as exc:
            raise classify(exc, f"{method} {path}: {exc}") from exc
        if status in ok:
            return status, body
        failure = classify(status, f"{method} {path}: HTTP {status}")
        if failure.retryable:
            raise failure
        return status, body if body is not None else {"message": text[:200]}

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


def refused(status: int, body: Any) -> ProviderError:
    """The error for an answer that is not the success expected, with the provider's own words."""
    detail = body.get("message") or body.get("code") or body.get("error_code") if isinstance(body, dict) else body
    return classify(status, f"HTTP {status}: {detail}")
