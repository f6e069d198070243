"""Payouts in the domain: what a restaurant or driver is owed, where it goes, and each payout's
life from the request to the ledger movement that records it paid.

Providers are reached from `channels` (channels/payments/payouts.py); this module only decides.
A payout is marked paid only on the provider's answer, and that change, its ledger movement
(carrying the provider's reference) and the beneficiary's SMS are one transaction, made once:
the payout's status and version guard it against a second worker or a replayed run.
"""
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from core import audit, ledger, outbox
from core.db import Unit
from core.errors import BadInput, NotFound
from core.formatting import money
from core.i18n import N_, translate
from core.models import Account, Driver, Payout, PayoutAccount, Restaurant, Role
from core.phones import display, operator_of
from core.restaurant_roles import OWNER
from state_machines.payout import OPEN, PayoutFlow, PayoutStatus as S

WALLETS = ("mtn", "orange")  # mobile money a payout route can pay

PAID_SMS = N_("Chopbar sent you {amount} on {phone}. Ref {ref}.")
GIVEN_UP_SMS = N_("Chopbar could not send your {amount} to {phone}. It stays owed; support will call you.")


@dataclass(frozen=True)
class PayoutRules:
    approval_above_xaf: int = 200_000  # an admin approves anything above this
    minimum_xaf: int = 1_000  # less is kept for the next payout
    max_attempts: int = 5  # transfers asked of the provider before giving up
    backoff_s: tuple[int, ...] = (60, 300, 900, 3600, 3 * 3600)  # before each new attempt
    check_s: tuple[int, ...] = (5, 10, 30, 60, 300)  # between status checks of a transfer under way

    def flow(self, payout: Payout) -> PayoutFlow:
        return PayoutFlow(payout, approval_above_xaf=self.approval_above_xaf, max_attempts=self.max_attempts)


@dataclass(frozen=True)
class Beneficiary:
    kind: str
    id: int
    name: str
    phone: str
    wallet: str
    language: str


@dataclass(frozen=True)
class Asked:
    """What a request for a payout came to: `payout` is None when nothing was started."""

    outcome: str  # started, awaiting_approval, already_open, too_little
    owed_xaf: int
    payout: Payout | None = None


def ledger_account(kind: str, beneficiary_id: int) -> str:
    return f"{kind}:{beneficiary_id}"


def owed(balances: dict[str, int], kind: str, beneficiary_id: int) -> int:
    """What Chopbar owes now, from the ledger: a driver's fees less the cash they hold."""
    owed_xaf = -balances.get(ledger_account(kind, beneficiary_id), 0)
    if kind == "driver":
        owed_xaf -= balances.get(f"cash:driver:{beneficiary_id}", 0)
    return owed_xaf


async def owed_to(unit: Unit, kind: str, beneficiary_id: int) -> int:
    accounts = [ledger_account(kind, beneficiary_id)] + ([f"cash:driver:{beneficiary_id}"] if kind == "driver" else [])
    return owed({a: await ledger.balance(unit, a) for a in accounts}, kind, beneficiary_id)


def wallet_of(phone: str) -> str:
    wallet = operator_of(phone)
    if wallet not in WALLETS:
        raise BadInput(f"{phone} is not an MTN or Orange number: no mobile money to pay it on")
    return wallet


async def owner_phone(unit: Unit, restaurant_id: int) -> str | None:
    """The number of the restaurant's owner (the oldest owner account, if several)."""
    return await unit.session.scalar(
        select(Account.phone).join(Role, Role.account_id == Account.id)
        .where(Role.role == OWNER, Role.restaurant_id == restaurant_id).order_by(Account.id).limit(1)
    )


async def beneficiary(unit: Unit, kind: str, beneficiary_id: int) -> Beneficiary:
    """Who is paid and where: their payout account, else the owner's number (a restaurant's
    console number when it has no owner account), or the driver's own number."""
    if kind == "restaurant":
        restaurant = await unit.session.get(Restaurant, beneficiary_id)
        if restaurant is None:
            raise NotFound(f"no restaurant {beneficiary_id}")
        name, language = restaurant.name, restaurant.language
        phone = await owner_phone(unit, beneficiary_id) or restaurant.phone
    elif kind == "driver":
        driver = await unit.session.get(Driver, beneficiary_id)
        if driver is None:
            raise NotFound(f"no driver {beneficiary_id}")
        name, language, phone = driver.account.name or driver.account.phone, driver.account.language, driver.account.phone
    else:
        raise BadInput(f"a payout goes to a restaurant or a driver, not {kind!r}")
    chosen = await unit.session.scalar(
        select(PayoutAccount).where(PayoutAccount.kind == kind, PayoutAccount.beneficiary_id == beneficiary_id)
    )
    if chosen is not None:
        return Beneficiary(kind, beneficiary_id, name, chosen.phone, chosen.wallet, language)
    return Beneficiary(kind, beneficiary_id, name, phone, wallet_of(phone), language)


async def set_account(unit: Unit, kind: str, beneficiary_id: int, phone: str, *, actor: str) -> PayoutAccount:
    """Pays this beneficiary on another number from now on (payouts already started keep theirs)."""
    await beneficiary(unit, kind, beneficiary_id)  # it exists
    wallet = wallet_of(phone)
    account = await unit.session.scalar(
        select(PayoutAccount).where(PayoutAccount.kind == kind, PayoutAccount.beneficiary_id == beneficiary_id)
    )
    if account is None:
        account = PayoutAccount(kind=kind, beneficiary_id=beneficiary_id, phone=phone, wallet=wallet, updated_at=unit.now())
        unit.session.add(account)
    else:
        account.phone, account.wallet, account.updated_at = phone, wallet, unit.now()
    audit.record(unit, "payout_account", f"{kind}:{beneficiary_id}", "set", actor=actor, data={"phone": phone})
    return account


async def open_payout(unit: Unit, kind: str, beneficiary_id: int) -> Payout | None:
    return await unit.session.scalar(select(Payout).where(Payout.open_key == f"{kind}:{beneficiary_id}"))


async def ask(unit: Unit, kind: str, beneficiary_id: int, rules: PayoutRules, *, reason: str, actor: str,
              owed_xaf: int | None = None) -> Asked:
    """Starts a payout of everything owed, unless one is already open or it is below the minimum."""
    who = await beneficiary(unit, kind, beneficiary_id)
    already = await open_payout(unit, kind, beneficiary_id)
    if already is not None:
        return Asked("already_open", already.amount_xaf, already)
    owed_xaf = await owed_to(unit, kind, beneficiary_id) if owed_xaf is None else owed_xaf
    if owed_xaf < max(rules.minimum_xaf, 1):
        return Asked("too_little", owed_xaf)
    now = unit.now()
    reference = str(uuid.uuid4())
    payout = Payout(
        reference=reference, send_reference=reference, kind=kind, beneficiary_id=beneficiary_id,
        open_key=f"{kind}:{beneficiary_id}", phone=who.phone, wallet=who.wallet, provider="", amount_xaf=owed_xaf,
        status=S.REQUESTED.value, reason=reason, language=who.language, requested_by=actor, attempts=0,
        next_attempt_at=None, created_at=now, updated_at=now,
    )
    unit.session.add(payout)
    audit.record(unit, "payout", reference, "request", actor=actor, to_state=S.REQUESTED.value,
                 data={"kind": kind, "beneficiary": beneficiary_id, "amount_xaf": owed_xaf, "reason": reason})
    audit.change(unit, rules.flow(payout), "submit", actor=actor)
    if payout.status == S.APPROVED.value:
        payout.next_attempt_at = now
        return Asked("started", owed_xaf, payout)
    return Asked("awaiting_approval", owed_xaf, payout)


async def everyone_owed(unit: Unit) -> list[tuple[str, int, int]]:
    """(kind, id, owed) of every restaurant and driver Chopbar owes something to, from one read."""
    balances = await ledger.balances(unit)
    found = []
    for restaurant_id in await unit.session.scalars(select(Restaurant.id).order_by(Restaurant.id)):
        found.append(("restaurant", restaurant_id, owed(balances, "restaurant", restaurant_id)))
    for driver_id in await unit.session.scalars(select(Driver.account_id).order_by(Driver.account_id)):
        found.append(("driver", driver_id, owed(balances, "driver", driver_id)))
    return [row for row in found if row[2] > 0]


async def approve(unit: Unit, payout_id: int, rules: PayoutRules, *, actor: str) -> Payout:
    payout = await unit.session.get(Payout, payout_id)
    if payout is None:
        raise NotFound(f"no payout {payout_id}")
    audit.change(unit, rules.flow(payout), "approve", actor=actor)
    payout.approved_by = actor
    payout.next_attempt_at = unit.now()
    return payout


async def refuse(unit: Unit, payout_id: int, rules: PayoutRules, *, actor: str, reason: str) -> Payout:
    """An admin will not send it: nothing leaves, the money stays owed, and a later payout may start."""
    payout = await unit.session.get(Payout, payout_id)
    if payout is None:
        raise NotFound(f"no payout {payout_id}")
    audit.change(unit, rules.flow(payout), "refuse", actor=actor, reason=reason)
    payout.open_key, payout.next_attempt_at, payout.last_error = None, None, reason[:240]
    return payout


def sending(unit: Unit, payout: Payout, provider: str, rules: PayoutRules) -> None:
    """Marks a transfer about to be asked: stored before the call, so a worker killed during it
    leaves a payout a status check will settle, never one sent again blind."""
    if payout.status == S.FAILED.value and payout.attempts:
        # The provider refused the last transfer for good: a new one needs a key of its own, made
        # from the payout's reference so a rerun of the same attempt makes the same key.
        payout.send_reference = str(uuid.uuid5(uuid.UUID(payout.reference), str(payout.attempts)))
    audit.change(unit, rules.flow(payout), "send", actor="system", data={"provider": provider, "attempt": payout.attempts + 1})
    payout.provider = payout.provider or provider
    payout.attempts += 1
    check_later(unit, payout, rules)


def check_later(unit: Unit, payout: Payout, rules: PayoutRules, checks: int = 0) -> None:
    payout.next_attempt_at = unit.now() + timedelta(seconds=rules.check_s[min(checks, len(rules.check_s) - 1)])


async def paid(unit: Unit, payout: Payout, rules: PayoutRules, *, provider_reference: str | None) -> bool:
    """The provider says the money left: one ledger movement, the beneficiary told. False when
    it was recorded already (a replay, or another worker first)."""
    if payout.status == S.PAID.value:
        return False
    audit.change(unit, rules.flow(payout), "confirm", actor=f"provider:{payout.provider}",
                 data={"provider_reference": provider_reference})
    payout.provider_reference = provider_reference or payout.send_reference
    payout.ledger_txn = ledger.post(
        unit, "payout",
        [(ledger_account(payout.kind, payout.beneficiary_id), payout.amount_xaf), (f"provider:{payout.provider}", -payout.amount_xaf)],
        reference=payout.provider_reference,
    )
    payout.open_key, payout.next_attempt_at, payout.paid_at = None, None, unit.now()
    body = translate(PAID_SMS, payout.language, amount=money(payout.amount_xaf, payout.language),
                     phone=display(payout.phone), ref=payout.provider_reference[:12])
    await outbox.enqueue(unit, payout.phone, body, kind="payout.paid", dedupe_key=f"payout.paid:{payout.reference}")
    return True


async def failed(unit: Unit, payout: Payout, rules: PayoutRules, *, reason: str) -> None:
    """The transfer did not go: tried again after a wait, or given up when no attempt is left
    (the money stays owed in the ledger, and the next payout takes it)."""
    audit.change(unit, rules.flow(payout), "fail", actor=f"provider:{payout.provider or '-'}", reason=reason)
    payout.last_error = reason[:240]
    if payout.status == S.FAILED.value:
        wait = rules.backoff_s[min(max(payout.attempts - 1, 0), len(rules.backoff_s) - 1)]
        payout.next_attempt_at = unit.now() + timedelta(seconds=wait)
        return
    payout.open_key, payout.next_attempt_at = None, None
    body = translate(GIVEN_UP_SMS, payout.language, amount=money(payout.amount_xaf, payout.language), phone=display(payout.phone))
    await outbox.enqueue(unit, payout.phone, body, kind="payout.failed", dedupe_key=f"payout.failed:{payout.reference}")


def due(unit: Unit, limit: int):
    """Payouts whose transfer is to be asked, checked or asked again now."""
    waiting = (S.APPROVED.value, S.SENDING.value, S.FAILED.value)
    query = select(Payout).where(Payout.status.in_(waiting), Payout.next_attempt_at <= unit.now())
    return query.order_by(Payout.next_attempt_at).limit(limit).with_for_update(skip_locked=True)


async def listed(unit: Unit, *, status: str | None, limit: int, after_id: int | None) -> list[Payout]:
    query = select(Payout)
    if status:
        query = query.where(Payout.status == status)
    if after_id:
        query = query.where(Payout.id < after_id)
    return list(await unit.session.scalars(query.order_by(Payout.id.desc()).limit(limit)))


def is_open(payout: Payout) -> bool:
    return S(payout.status) in OPEN
