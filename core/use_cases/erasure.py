"""Erasing a person: DELETE by SMS (then DELETE YES within 10 minutes) or over REST.

The account stays, under the placeholder number `del:<account id>`, so its orders, their money
trail and the ledger keep every figure: codes, amounts, lines, restaurant, payments and ledger
entries are not touched. What says who the person is or where they live goes: the name, the
addresses, an order's address text and payer number, the number and body of every message,
tickets' words, favourites, invitations, sign-in codes and logins. Refused while an order of
theirs is not finished, money of theirs is pending, or, as a driver, cash or a payout is open.

Every comparison on a phone column is in one of the `_*_of` functions below, one per table.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from core import audit, ledger
from core.accounts import find_account
from core.db import Unit, Units
from core.errors import Conflict, NotFound
from core.sealing import blind
from core.models import (
    Account, Address, AuditEvent, Cart, DeliveryJob, Driver, Favourite, IdempotentRequest, InboundMessage, Invitation,
    OtpCode, Order, OutboxMessage, Payment, Payout, PayoutAccount, PersonalDataRequest, Rating, RefreshToken,
    RecoveryCode, RestaurantApplication, Role, SecondFactor, SignInAttempt, Ticket, TicketMessage,
)
from core.revocation import Revocation, login_ended, roles_changed
from state_machines.delivery import ACTIVE as ACTIVE_JOBS
from state_machines.order import FINAL, OrderStatus
from state_machines.payment import OPEN as OPEN_PAYMENTS

CONFIRM_WINDOW_S = 10 * 60
FINISHED = FINAL | {OrderStatus.DELIVERED, OrderStatus.COLLECTED}
REASONS = {
    "open_order": "an order of yours is not finished yet",
    "money_pending": "money of one of your orders is still pending",
    "driver_cash": "you still hold cash of deliveries, or a payout to you is open",
}


class ErasureRefused(Conflict):
    code = "erasure_refused"

    def __init__(self, reason: str) -> None:
        super().__init__(f"your data cannot be erased now: {REASONS[reason]}; try again once it is settled")
        self.reason = reason  # a key of REASONS


class NothingToConfirm(Conflict):
    code = "nothing_to_confirm"


def placeholder(account_id: int) -> str:
    """The number an erased account keeps: no real number looks like it, and it stays unique."""
    return f"del:{account_id}"


# Every comparison on a phone column lives here, one function per table: numbers are sealed,
# so each compares the number's blind index (core.sealing).
def _orders_paid_by(phone: str):
    return Order.payer_phone_key == blind(phone)


def _payments_paid_by(phone: str):
    return Payment.payer_phone_key == blind(phone)


def _outbox_of(phone: str):
    return OutboxMessage.to_phone_key == blind(phone)


def _inbound_of(phone: str):
    return InboundMessage.phone_key == blind(phone)


def _tickets_of(phone: str):
    return Ticket.phone_key == blind(phone)


def _codes_of(phone: str):
    return OtpCode.phone_key == blind(phone)


def _invitations_of(phone: str):
    return Invitation.phone_key == blind(phone)


def _audit_about(account_id: int, orders):
    """The audit rows about the person: their account and driver profile, their payout account,
    and the orders they placed or drove with what happened to them. Actor, reason and data are sealed, so the rows
    naming the number are picked among these in Python; rows about other things that name the
    number as an actor (a restaurant's staff member moving an order) keep it sealed until the
    retention period ends."""
    ref = str(account_id)
    return or_(AuditEvent.entity.in_(("account", "driver")) & (AuditEvent.entity_ref == ref),
               (AuditEvent.entity == "payout_account") & (AuditEvent.entity_ref == f"driver:{ref}"),
               AuditEvent.entity.in_(("order", "delivery", "handover")) & AuditEvent.entity_ref.in_(orders))


def _names(event: AuditEvent, phone: str) -> bool:
    return phone in event.actor or phone in (event.reason or "") or any(phone in str(v) for v in event.data.values())


@dataclass(frozen=True)
class Erased:
    account_id: int
    phone: str  # the number it had: the channel drops its dialog sessions
    revocations: list[Revocation] = field(default_factory=list)  # every access token of the account refused


async def blocker(unit: Unit, account_id: int) -> str | None:
    """Why this account cannot be erased now (a key of REASONS), or None."""
    s = unit.session
    theirs = select(Order.id).where(Order.account_id == account_id)
    if await s.scalar(select(Order.id).where(Order.account_id == account_id, Order.status.not_in(FINISHED)).limit(1)):
        return "open_order"
    # A cash payment stays PENDING on an order called off (no cash ever changed hands): only a
    # provider's open payment or a refund owed is money still moving.
    pending = or_(Payment.status.in_(OPEN_PAYMENTS) & (Payment.method != "cash"), Payment.refund_due_xaf > 0)
    if await s.scalar(select(Payment.id).where(Payment.order_id.in_(theirs), pending).limit(1)):
        return "money_pending"
    driving = await s.scalar(select(DeliveryJob.id).where(DeliveryJob.driver_account_id == account_id,
                                                          DeliveryJob.status.in_(ACTIVE_JOBS)).limit(1))
    open_payout = await s.scalar(select(Payout.id).where(Payout.open_key == f"driver:{account_id}"))
    if driving or open_payout or await ledger.balance(unit, f"cash:driver:{account_id}"):
        return "driver_cash"
    return None


async def ask(units: Units, phone: str, *, window_s: int = CONFIRM_WINDOW_S) -> None:
    """DELETE by SMS: refused now if it would be refused later, else waits for DELETE YES."""
    async with units.unit() as unit:
        account = await _by_phone(unit, phone)
        if (reason := await blocker(unit, account.id)) is not None:
            raise ErasureRefused(reason)
        now = unit.now()
        unit.session.add(PersonalDataRequest(account_id=account.id, kind="erase", created_at=now,
                                             expires_at=now + timedelta(seconds=window_s)))


async def confirm(units: Units, phone: str) -> Erased:
    """DELETE YES by SMS: erases when a DELETE came within its window."""
    async with units.unit() as unit:
        account = await _by_phone(unit, phone)
        asked = await unit.session.scalar(
            select(PersonalDataRequest.id).where(
                PersonalDataRequest.account_id == account.id, PersonalDataRequest.kind == "erase",
                PersonalDataRequest.used_at.is_(None), PersonalDataRequest.expires_at > unit.now()).limit(1)
        )
        if asked is None:
            raise NothingToConfirm("send DELETE first, then DELETE YES within 10 minutes")
        return await erase(unit, account.id, actor="customer:sms")


async def erase_account(units: Units, account_id: int, *, actor: str) -> Erased:
    async with units.unit() as unit:
        return await erase(unit, account_id, actor=actor)


async def _by_phone(unit: Unit, phone: str) -> Account:
    account = await find_account(unit, phone)
    if account is None:
        raise NotFound("no account for this number")
    return account


async def erase(unit: Unit, account_id: int, *, actor: str) -> Erased:
    """Erases the account's personal data in this unit; the money trail stays whole."""
    s, now = unit.session, unit.now()
    account = await s.get(Account, account_id)
    if account is None or account.phone == placeholder(account_id):
        raise NotFound(f"no account {account_id} to erase")
    if (reason := await blocker(unit, account_id)) is not None:
        raise ErasureRefused(reason)
    phone, gone = account.phone, placeholder(account_id)
    theirs = select(Order.id).where(Order.account_id == account_id)
    families = list(await s.scalars(select(RefreshToken.family).where(RefreshToken.account_id == account_id).distinct()))

    await s.execute(update(Order).where(Order.account_id == account_id)
                    .values(address_id=None, quarter_text="", landmark="", directions="",
                            payer_phone=None, payer_phone_key=None))
    await s.execute(update(Order).where(_orders_paid_by(phone)).values(payer_phone=None, payer_phone_key=None))
    await s.execute(update(Payment).where(or_(Payment.order_id.in_(theirs), _payments_paid_by(phone)))
                    .values(payer_phone=None, payer_phone_key=None))
    await s.execute(update(OutboxMessage).where(_outbox_of(phone))
                    .values(to_phone=gone, to_phone_key=blind(gone), body="", redacted_body=None))
    await s.execute(update(InboundMessage).where(_inbound_of(phone)).values(phone=gone, phone_key=blind(gone), text=""))
    tickets = select(Ticket.id).where(or_(_tickets_of(phone), Ticket.account_id == account_id))
    await s.execute(update(TicketMessage).where(TicketMessage.ticket_id.in_(tickets)).values(body=""))
    await s.execute(update(TicketMessage).where(TicketMessage.ticket_id.in_(tickets), TicketMessage.direction == "in")
                    .values(author=gone))
    await s.execute(update(Ticket).where(Ticket.id.in_(tickets)).values(phone=gone, phone_key=blind(gone)))
    await s.execute(update(Rating).where(Rating.account_id == account_id).values(comment=None))
    for table, mine in ((Address, Address.account_id == account_id), (Favourite, Favourite.account_id == account_id),
                        (Invitation, or_(Invitation.inviter_account_id == account_id, _invitations_of(phone))),
                        (OtpCode, _codes_of(phone)), (RefreshToken, RefreshToken.account_id == account_id),
                        (Cart, Cart.account_id == account_id), (IdempotentRequest, IdempotentRequest.account_id == account_id),
                        (PersonalDataRequest, PersonalDataRequest.account_id == account_id),
                        (PayoutAccount, (PayoutAccount.kind == "driver") & (PayoutAccount.beneficiary_id == account_id)),
                        (SecondFactor, SecondFactor.account_id == account_id),
                        (RecoveryCode, RecoveryCode.account_id == account_id),
                        (SignInAttempt, SignInAttempt.account_id == account_id),
                        (Role, Role.account_id == account_id)):
        await s.execute(delete(table).where(mine).execution_options(synchronize_session=False))
    await s.execute(update(Payout).where(Payout.kind == "driver", Payout.beneficiary_id == account_id).values(phone=gone))
    await s.execute(update(Driver).where(Driver.account_id == account_id)
                    .values(online=False, status="SUSPENDED", status_reason="erased at their request", zone=[]))
    driven = select(DeliveryJob.order_id).where(DeliveryJob.driver_account_id == account_id)
    codes = select(Order.code).where(or_(Order.account_id == account_id, Order.id.in_(driven)))
    for event in await s.scalars(select(AuditEvent).where(_audit_about(account_id, codes))):
        if not _names(event, phone):
            continue
        event.actor = event.actor.replace(phone, gone)
        event.reason = event.reason.replace(phone, gone) if event.reason else None
        event.data = {k: v for k, v in event.data.items() if phone not in str(v)} | {"erased": True}  # amounts stay
    for application in await s.scalars(select(RestaurantApplication)):  # few rows, people sealed: read each
        if not any(p.get("phone") == phone for p in application.people):
            continue
        application.people = [p | {"phone": gone} if p.get("phone") == phone else p for p in application.people]
    await s.refresh(account, ["roles"])
    account.phone, account.name, account.opted_out = gone, None, True
    audit.record(unit, "privacy", str(account_id), "erased", actor=actor.replace(phone, gone))
    await s.flush()
    revocations = [login_ended(family) for family in families] + [roles_changed(account_id, [], now)]
    return Erased(account_id, phone, revocations)
