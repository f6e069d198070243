"""The worker's payout job: send each approved payout, check before any retry, record it paid once.

A payout is leased before the provider is called (its next_attempt_at moves ahead; on
PostgreSQL with FOR UPDATE SKIP LOCKED), and marked SENDING in a commit of its own before
the transfer is asked, so a worker killed at any point leaves a payout whose next run asks
the provider first: paid there is recorded paid, unknown there is asked again with the same
key, failed there waits and tries again with a new one. Provider calls happen outside any
database transaction.
"""
import asyncio
import logging
from datetime import timedelta

from channels.payments.breaker import Breaker
from core import payouts
from core.db import Database
from core.models import Payout
from core.payout_provider import PayoutClient, TransferAnswer
from core.payouts import PayoutRules
from core.provider_error import ProviderError
from state_machines.payout import PayoutStatus as S

log = logging.getLogger(__name__)
LEASE_S = 60
BATCH = 20


class PayoutSender:
    """The payout clients by provider and which of them pay each kind of wallet."""

    def __init__(self, clients: dict[str, PayoutClient], *, routes: dict[str, tuple[str, ...]]) -> None:
        self.clients = clients
        self.routes = routes
        self.breakers = {name: Breaker() for name in clients}

    def provider_for(self, payout: Payout) -> str | None:
        """The payout's provider once chosen; else the first of its wallet's routes that is up."""
        if payout.provider:
            return payout.provider
        names = [n for n in self.routes.get(payout.wallet, ()) if n in self.clients]
        return next((n for n in names if self.breakers[n].allows()), names[0] if names else None)

    async def call(self, name: str, operation: str, payout: Payout) -> TransferAnswer:
        breaker = self.breakers[name]
        if not breaker.allows():
            raise ProviderError(f"{name}: circuit open", retryable=True)
        try:
            answer = await getattr(self.clients[name], operation)(payout)
        except ProviderError as exc:
            if exc.retryable:
                breaker.failed()
            raise
        breaker.succeeded()
        return answer

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()


class PayoutJobs:
    def __init__(self, db: Database, sender: PayoutSender, rules: PayoutRules | None = None) -> None:
        self.db = db
        self.sender = sender
        self.rules = rules or PayoutRules()

    async def run(self) -> int:
        """One pass: every payout due is sent, checked or sent again; returns how many."""
        async with self.db.unit() as unit:
            leased = list(await unit.session.scalars(payouts.due(unit, BATCH)))
            for payout in leased:
                payout.next_attempt_at = unit.now() + timedelta(seconds=LEASE_S)
            ids = [p.id for p in leased]
        results = await asyncio.gather(*(self.handle(i) for i in ids), return_exceptions=True)
        for error in (r for r in results if isinstance(r, Exception)):
            log.error("payout job failed", exc_info=error)
        return len(ids)

    async def _snapshot(self, payout_id: int) -> Payout:
        async with self.db.unit() as unit:
            snapshot = await unit.session.get(Payout, payout_id)
            unit.session.expunge(snapshot)
        return snapshot

    async def handle(self, payout_id: int) -> None:
        snapshot = await self._snapshot(payout_id)
        if snapshot.status == S.APPROVED.value or not snapshot.provider:  # never sent: nothing to ask about
            await self._send(snapshot)
            return
        # SENDING (an answer awaited, or a worker died mid-call) or FAILED (waiting to try again):
        # the provider's own word on this key decides, before anything is sent again.
        name = self.sender.provider_for(snapshot)
        try:
            answer = await self.sender.call(name, "transfer_status", snapshot)
        except ProviderError as exc:
            await self._unanswered(payout_id, str(exc))
            return
        if answer.status == "successful":
            await self._record(payout_id, lambda unit, p: payouts.paid(unit, p, self.rules, provider_reference=answer.provider_reference))
        elif answer.status == "pending":
            await self._record(payout_id, lambda unit, p: self._still_pending(unit, p, answer))
        elif answer.status == "failed" and snapshot.status == S.SENDING.value:
            await self._record(payout_id, lambda unit, p: payouts.failed(unit, p, self.rules, reason=answer.reason or "failed"))
        else:  # never received under this key, or failed there and its wait is over: send (again)
            await self._send(snapshot)

    async def _send(self, snapshot: Payout) -> None:
        name = self.sender.provider_for(snapshot)
        async with self.db.unit() as unit:
            payout = await unit.session.get(Payout, snapshot.id)
            if name is None:
                await payouts.failed(unit, payout, self.rules, reason="no provider pays this wallet")
                return
            if payout.status != S.SENDING.value:
                payouts.sending(unit, payout, name, self.rules)
            elif payout.attempts >= self.rules.max_attempts:  # it never reached the provider, time after time
                await payouts.failed(unit, payout, self.rules, reason=payout.last_error or "never reached the provider")
                return
            else:  # the provider never got this key: the same transfer is asked again, under the same key
                payout.attempts += 1
                payouts.check_later(unit, payout, self.rules)
            await unit.session.flush()
            unit.session.expunge(payout)  # the key and provider just stored are the ones sent
        try:
            answer = await self.sender.call(name, "transfer", payout)
        except ProviderError as exc:
            if exc.maybe_received:
                await self._unanswered(snapshot.id, str(exc))  # it may be made: a status check decides
            else:  # down (not acted on) or a definite no: tried again after a wait, a check first
                await self._record(snapshot.id, lambda unit, p: payouts.failed(unit, p, self.rules, reason=str(exc)))
            return
        await self._record(snapshot.id, lambda unit, p: self._still_pending(unit, p, answer))

    async def _still_pending(self, unit, payout: Payout, answer: TransferAnswer) -> None:
        payout.provider_reference = payout.provider_reference or answer.provider_reference
        payouts.check_later(unit, payout, self.rules)

    async def _unanswered(self, payout_id: int, error: str) -> None:
        log.warning("payout unanswered", extra={"fields": {"payout": payout_id, "error": error}})

        async def note(unit, payout: Payout) -> None:
            payout.last_error = error[:240]
            payouts.check_later(unit, payout, self.rules, checks=2)

        await self._record(payout_id, note)

    async def _record(self, payout_id: int, change) -> None:
        async with self.db.unit() as unit:
            payout = await unit.session.get(Payout, payout_id)
            if payouts.is_open(payout):
                await change(unit, payout)
