"""Fixtures of the channel tests: the simulated payment providers' book and a payment worker."""
import pytest

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.jobs import PaymentJobs
from chopbar.providers import payment_router


@pytest.fixture
def book(chopbar):
    return chopbar.app[SIM_PAYMENTS]


@pytest.fixture
async def worker(chopbar, settings):
    """The payment jobs, run by hand (tests/channels/test_whatsapp.py has an outbox worker instead)."""
    jobs = PaymentJobs(chopbar.app[DATABASE], payment_router(settings))
    yield jobs
    await jobs.router.close()
