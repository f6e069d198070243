"""The payment book settles once, calls back through the provider's notifier, and drains."""
import pytest

from simulators.payment_book import PaymentBook, SimPayment


def payment(reference: str = "r1", **changes) -> SimPayment:
    return SimPayment(**{"reference": reference, "provider": "mtn", "phone": "+237677000002", "amount": 100,
                         "currency": "XAF", "external_reference": "e"} | changes)


async def test_settling_calls_the_provider_back_as_many_times_as_the_faults_say():
    book, sent = PaymentBook(), []

    async def notify(p: SimPayment) -> None:
        sent.append(p.status)

    book.notifiers["mtn"] = notify
    book.fault("mtn").callbacks, book.fault("mtn").callback_delay_s = 2, 0
    book.add(payment())
    book.settle("r1", True)
    await book.drain()
    assert sent == ["successful", "successful"]
    with pytest.raises(ValueError):
        book.settle("r1", False)


async def test_a_failing_callback_is_not_retried_and_does_not_break_the_book():
    book, calls = PaymentBook(), []

    async def notify(p: SimPayment) -> None:
        calls.append(p.reference)
        raise ConnectionError("the service is down")

    book.notifiers["mtn"] = notify
    book.add(payment())
    book.settle("r1", False, reason="APPROVAL_REJECTED")
    await book.drain()
    assert calls == ["r1"] and book.get("r1").reason == "APPROVAL_REJECTED"


async def test_the_auto_modes_answer_collections_only():
    book = PaymentBook(mode="decline", auto_delay_s=0)
    book.add(payment("c"))
    book.add(payment("d", kind="disbursement"))
    book.add(payment("s", provider="stripe", phone=None, prompted=False))
    await book.drain()
    assert [book.get(r).status for r in ("c", "d", "s")] == ["failed", "pending", "pending"]


def test_for_phone_lists_collections_newest_first():
    book = PaymentBook()
    book.add(payment("old", created_at=1.0))
    book.add(payment("new", created_at=2.0))
    book.add(payment("same-time-later", created_at=2.0))
    book.add(payment("refund", kind="disbursement", created_at=3.0))
    assert [p.reference for p in book.for_phone("+237677000002")] == ["same-time-later", "new", "old"]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        PaymentBook(mode="maybe")
