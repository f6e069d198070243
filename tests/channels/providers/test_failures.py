"""`classify`: every provider call's HTTP status or transport exception, read one way."""
import asyncio

import aiohttp
import pytest

from channels.providers.failures import classify
from core.provider_error import ProviderError


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_a_5xx_or_a_429_is_retried_and_was_not_acted_on(status):
    error = classify(status, f"HTTP {status}")
    assert (error.retryable, error.maybe_received, error.status, str(error)) == (True, False, status, f"HTTP {status}")


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 422, 200, 302])
def test_any_other_status_is_a_definite_no(status):
    error = classify(status, "refused")
    assert (error.retryable, error.maybe_received, error.status) == (False, False, status)


@pytest.mark.parametrize("exc", [asyncio.TimeoutError(), TimeoutError(), aiohttp.ServerTimeoutError("read")])
def test_no_answer_in_time_is_retried_only_after_asking_what_happened(exc):
    error = classify(exc, "no answer in 10 s")
    assert (error.retryable, error.maybe_received, error.status) == (True, True, None)


@pytest.mark.parametrize("exc", [aiohttp.ServerDisconnectedError(), aiohttp.ClientConnectionError("refused"),
                                 ConnectionRefusedError(111, "Connection refused")])
def test_a_connection_not_made_or_dropped_is_retried_and_was_not_acted_on(exc):
    error = classify(exc, "unreachable")
    assert (error.retryable, error.maybe_received) == (True, False)


@pytest.mark.parametrize("exc", [ValueError("not JSON"), aiohttp.ClientPayloadError("cut short"), RuntimeError("library")])
def test_an_answer_we_could_not_read_is_retried_but_may_have_been_received(exc):
    error = classify(exc, "unreadable")
    assert (error.retryable, error.maybe_received) == (True, True)


def test_it_is_the_one_error_type_the_domain_sees():
    assert all(isinstance(classify(answer, "x"), ProviderError) for answer in (503, 400, TimeoutError(), ValueError()))
