"""The worker's payment jobs: ask providers, poll until final, expire, reconcile, refund, and
give up the second chances to pay that passed unanswered.

Each payment is leased before the provider is called (its next_check_at moves ahead), so
several workers never call a provider twice for one payment; on PostgreSQL the lease is
taken with FOR UPDATE SKIP LOCKED. Provider calls happen outside any database transaction.
"""
import asyncio
import logging
from datetime import timedelta

from sqlalchemy import select

from channels.payments.router import PaymentRouter
from core import payment_retry, payments
from core.db import Database, Unit
from core.errors import Conflict
from core.models import Payment
from core.provider_error import ProviderError
from state_machines.payment import PaymentStatus as S

log = logging.getLogger(__name__)
LEASE_S = 60
BATCH = 20
CHECK_BACKOFF_S = (2, 3, 5, 8, 13, 20, 30)
LATE_WINDOW = timedelta(hours=2)  # an expired payment is still watched for a late success


def _due(unit: Unit, *conditions):
    query = select(Payment).where(*conditions, Payment.next_check_at <= unit.now(), Payment.method != "cash")
    query = query.order_by(Payment.next_check_at).limit(BATCH)
    return query.with_for_update(skip_locked=True)


class PaymentJobs:
    def __init__(self, db: Database, router: PaymentRouter, retry: payment_retry.RetryRules | None = None) -> None:
        self.db = db
        self.router = router
        self.retry = retry or payment_retry.RetryRules()

    async def run(self) -> int:
        """One pass of every job; returns how much it did (the worker loops at once if > 0)."""
        done = await self.request_new() + await self.check_waiting() + await self.send_refunds()
        return done + await self.give_up_lapsed()

    async def give_up_lapsed(self) -> int:
        async with self.db.unit() as unit:
            return await payment_retry.give_up_lapsed(unit)

    async def start_now(self, payment_id: int):
        """Asks the provider at once, for an app that waits on the answer (a card's client secret).

        Providers' idempotency keys make a repeat return the same request; a first request is
        recorded as the worker would record it (if the worker did so at the same moment, its
        record stands)."""
        snapshot = await self._snapshot(payment_id)
        outcome = await self.router.request(snapshot)
        if snapshot.status == S.CREATED.value:
            try:
                async with self.db.unit() as unit:
                    payment = await unit.session.get(Payment, payment_id)
                    if payment.status == S.CREATED.value:
                        await self._requested(unit, payment, outcome)
            except Conflict:
                pass
        return outcome

    async def _lease(self, *conditions) -> list[int]:
        async with self.db.unit() as unit:
            leased = list(await unit.session.scalars(_due(unit, *conditions)))
            for payment in leased:
                payment.next_check_at = unit.now() + timedelta(seconds=LEASE_S)
            return [p.id for p in leased]

    async def _each(self, ids: list[int], handle) -> int:
        """Handles leased payments side by side: provider calls are slow, and independent."""
        results = await asyncio.gather(*(handle(payment_id) for payment_id in ids), return_exceptions=True)
        for error in (r for r in results if isinstance(r, Exception)):
            log.error("payment job failed", exc_info=error)
        return len(ids)

    async def _snapshot(self, payment_id: int) -> Payment:
        async with self.db.unit() as unit:
            snapshot = await unit.session.get(Payment, payment_id)
            unit.session.expunge(snapshot)
        return snapshot

    async def request_new(self) -> int:
        return await self._each(await self._lease(Payment.status == S.CREATED.value), self._request_one)

    async def _request_one(self, payment_id: int) -> None:
        outcome = await self.router.request(await self._snapshot(payment_id))
        async with self.db.unit() as unit:
            payment = await unit.session.get(Payment, payment_id)
            await self._requested(unit, payment, outcome)

    async def _requested(self, unit: Unit, payment: Payment, outcome) -> None:
        payment.provider = outcome.provider or self.router.provider_for(payment) or payment.provider
        if outcome.answer is not None and outcome.answer.status == "pending":
            await payments.requested(unit, payment, outcome.provider, outcome.answer)
            self._schedule(unit, payment)
        elif outcome.answer is not None:
            await payments.apply_answer(unit, payment, outcome.answer, actor="system", retry=self.retry)
        else:
            payments.lost_track(unit, payment, outcome.error or "no answer")
            self._schedule(unit, payment)
            log.warning("payment request unanswered", extra={"fields": {"reference": payment.reference, "error": outcome.error}})

    def _schedule(self, unit: Unit, payment: Payment) -> None:
        wait = CHECK_BACKOFF_S[min(payment.attempts, len(CHECK_BACKOFF_S) - 1)]
        payment.attempts += 1
        payment.next_check_at = unit.now() + timedelta(seconds=wait)

    async def check_waiting(self) -> int:
        waiting = (S.PENDING.value, S.UNKNOWN.value, S.EXPIRED.value)
        return await self._each(await self._lease(Payment.status.in_(waiting)), self._check_one)

    async def _check_one(self, payment_id: int) -> None:
        snapshot = await self._snapshot(payment_id)
        provider = self.router.provider_for(snapshot)
        error = ""
        try:
            answer = await self.router.call(provider, "check", snapshot) if provider else payments.ProviderAnswer("not_found")
        except ProviderError as exc:
            answer, error = None, str(exc)
        unsent = provider is None or self.router.providers[provider].not_found_means_unsent
        if answer is not None and answer.status == "not_found" and snapshot.status == S.UNKNOWN.value and unsent:
            # It never reached that provider: ask again, falling over if need be.
            outcome = await self.router.request(snapshot)
            async with self.db.unit() as unit:
                await self._requested(unit, await unit.session.get(Payment, payment_id), outcome)
            return
        async with self.db.unit() as unit:
            payment = await unit.session.get(Payment, payment_id)
            if answer is None:
                payments.lost_track(unit, payment, error)
            elif answer.status != "not_found":
                await payments.apply_answer(unit, payment, answer, actor=f"provider:{payment.provider}", retry=self.retry)
            await self._after_check(unit, payment)

    async def _after_check(self, unit: Unit, payment: Payment) -> None:
        now = unit.now()
        waiting = payment.status in (S.CREATED.value, S.PENDING.value, S.UNKNOWN.value)
        if waiting and payment.expires_at and now >= payment.expires_at:
            await payments.expire(unit, payment, retry=self.retry)
            self._schedule(unit, payment)  # still watched: a late success is refunded
        elif payment.status == S.EXPIRED.value and now >= payment.expires_at + LATE_WINDOW:
            payment.next_check_at = None  # watched long enough
        elif waiting or payment.status == S.EXPIRED.value:
            self._schedule(unit, payment)
        else:  # final: only a refund owed brings it back
            payment.next_check_at = now if payment.refund_due_xaf else None

    async def send_refunds(self) -> int:
        return await self._each(await self._lease(Payment.refund_due_xaf > 0), self._refund_one)

    async def _refund_one(self, payment_id: int) -> None:
        snapshot = await self._snapshot(payment_id)
        provider = self.router.providers.get(snapshot.provider)
        try:
            if provider is not None and provider.refunds:
                answer = await self.router.call(snapshot.provider, "refund", snapshot, snapshot.refund_due_xaf)
            else:
                answer = None  # no refund API: the money becomes a wallet credit
        except ProviderError as exc:
            log.warning("refund failed", extra={"fields": {"reference": snapshot.reference, "error": str(exc)}})
            async with self.db.unit() as unit:
                self._schedule(unit, await unit.session.get(Payment, payment_id))
            return
        async with self.db.unit() as unit:
            payment = await unit.session.get(Payment, payment_id)
            if answer is not None and answer.status != "successful":
                self._schedule(unit, payment)  # on its way: the same refund is asked again later
                return
            await payments.refunded(unit, payment, snapshot.refund_due_xaf, via="provider" if answer else "wallet")
            payment.next_check_at = None
