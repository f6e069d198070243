"""One reading of every provider call that went wrong: an HTTP status or a transport exception
(aiohttp's, the standard library's, or one a provider's own library raised), as the domain's
`ProviderError`.

5xx and 429 are retryable and were not acted on; any other status is a definite no. No answer
in time may have been received. A connection that could not be made or was dropped is retryable
and was not acted on. Any other exception (an answer we could not read, a library's own
failure) is retryable but may have been received.
"""
import aiohttp

from core.provider_error import ProviderError

RETRYABLE_STATUS = 429  # too many requests: the same call later is welcome


def classify(answer: int | BaseException, reason: str) -> ProviderError:
    """The error for a provider's HTTP status that is not the success expected, or for the
    exception its call raised; `reason` is what the error says (logs, `last_error`)."""
    if isinstance(answer, BaseException):
        return _transport(answer, reason)
    retryable = answer >= 500 or answer == RETRYABLE_STATUS
    return ProviderError(reason, retryable=retryable, status=answer)


def _transport(exc: BaseException, reason: str) -> ProviderError:
    if isinstance(exc, TimeoutError):  # asyncio's and aiohttp's timeouts are TimeoutError too
        return ProviderError(reason, retryable=True, maybe_received=True)
    if isinstance(exc, (aiohttp.ClientConnectionError, ConnectionError)):
        return ProviderError(reason, retryable=True)
    return ProviderError(reason, retryable=True, maybe_received=True)
