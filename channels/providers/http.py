"""Calling a provider's HTTP API with a timeout, turning transport trouble into our three errors."""
import asyncio
from typing import Any

import aiohttp

from core.payment_provider import ProviderDown, ProviderRefused, ProviderTimeout

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
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise ProviderTimeout(f"{method} {path}: no answer in {self.timeout.total} s") from exc
        except aiohttp.ClientConnectionError as exc:
            raise ProviderDown(f"{method} {path}: {exc}") from exc
        if status in ok:
            return status, body
        if status >= 500 or status == 429:
            raise ProviderDown(f"{method} {path}: HTTP {status}")
        return status, body if body is not None else {"message": text[:200]}

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()


def refused(status: int, body: Any) -> ProviderRefused:
    detail = body.get("message") or body.get("code") or body.get("error_code") if isinstance(body, dict) else body
    return ProviderRefused(f"HTTP {status}: {detail}")
