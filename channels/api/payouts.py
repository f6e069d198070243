"""Money out over REST: a restaurant's owner or a driver asks for a payout; support lists them,
an admin approves those above the limit; support reads the day's reconciliation with the providers.
"""
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from channels.api.admin import Paging, actor, allow
from channels.api.endpoints import Call, endpoint
from channels.api.requests import acting_for, has_role
from channels.api.schemas import Id, Page, Phone, Reason, Shape, cut
from channels.keys import DATABASE, PAYOUTS, SETTINGS, WAKE
from core.errors import Forbidden
from core.phones import to_e164
from core.restaurant_roles import PAYOUT
from core.use_cases import paying_out, reconciling
from core.use_cases.paying_out import PayoutFacts
from state_machines.payout import PayoutStatus

TAG = "payouts"
PayoutState = Literal[tuple(s.value for s in PayoutStatus)]


class PayoutOut(Shape):
    id: int
    reference: str = Field(description="ours, the provider's idempotency key")
    kind: str = Field(description="restaurant or driver")
    beneficiary_id: int = Field(description="the restaurant's id, or the driver's account id")
    phone: str = Field(description="the mobile-money number paid")
    provider: str = Field(description="mtn or campay; empty until first sent")
    amount_xaf: int
    status: str = Field(description="REQUESTED, AWAITING_APPROVAL, APPROVED, SENDING, PAID, FAILED, ABANDONED, REFUSED")
    reason: str = Field(description="daily or request")
    attempts: int
    requested_by: str
    approved_by: str | None
    provider_reference: str | None
    last_error: str | None
    created_at: datetime
    paid_at: datetime | None

    @classmethod
    def of(cls, p: PayoutFacts) -> "PayoutOut":
        return cls(**p.__dict__)


class PayoutAnswer(Shape):
    outcome: str = Field(description="started, awaiting_approval (above the limit), already_open, too_little")
    owed_xaf: int = Field(description="what Chopbar owes now, from the ledger")
    minimum_xaf: int
    payout: PayoutOut | None


class WhoIsPaid(Shape):
    restaurant_id: Id | None = Field(None, description="the restaurant (its owner asks); null: the calling driver")


class PayoutAccountIn(WhoIsPaid):
    phone: Phone = Field(description="the MTN or Orange number to pay from now on")


class PayoutAccountOut(Shape):
    kind: str = Field(description="restaurant or driver")
    beneficiary_id: int
    phone: str
    wallet: str = Field(description="mtn or orange: who pays it (MTN Disbursements or CamPay)")


class PayoutQuery(Paging):
    status: PayoutState | None = Field(None, description="only payouts in this status")


class PayoutPage(Page):
    items: list[PayoutOut]


class DayQuery(Shape):
    day: date | None = Field(None, ge=date(2020, 1, 1), le=date(2100, 12, 31),
                             description="the local day, YYYY-MM-DD; today by default")


class DifferenceOut(Shape):
    our_reference: str
    direction: str = Field(description="in (a payment) or out (a refund or payout)")
    what: str = Field(description="missing_at_provider, missing_in_ledger, amount_differs, status_differs")
    ledger_xaf: int
    provider_xaf: int
    provider_status: str | None


class ProviderReport(Shape):
    provider: str
    ledger_xaf_in: int
    ledger_xaf_out: int
    provider_xaf_in: int
    provider_xaf_out: int
    lines: int = Field(description="lines on the provider's statement")
    error: str | None = Field(description="why the statement could not be read")
    differences: list[DifferenceOut]


class ReconciliationOut(Shape):
    day: date
    providers: list[ProviderReport]


@endpoint("POST", "/api/v1/payouts", tag=TAG, body=WhoIsPaid, response=PayoutAnswer, idempotent=True,
          summary="Ask for everything owed, now: a restaurant's owner for the restaurant, a driver for themselves",
          roles="restaurant owner, driver")
async def ask(call: Call) -> PayoutAnswer:
    kind, beneficiary_id = _beneficiary(call, call.body.restaurant_id)
    asked = await paying_out.ask(call.app[DATABASE], kind, beneficiary_id, call.app[PAYOUTS].rules,
                                 actor=f"{kind}:{beneficiary_id}:{call.account_id}")
    if asked.wakes:
        call.app[WAKE].set()
    return PayoutAnswer(outcome=asked.outcome, owed_xaf=asked.owed_xaf, minimum_xaf=asked.minimum_xaf,
                        payout=PayoutOut.of(asked.payout) if asked.payout else None)


def _beneficiary(call: Call, restaurant_id: int | None) -> tuple[str, int]:
    """Whose payouts the caller may manage: a restaurant's owner for it, a driver for themselves."""
    if restaurant_id is not None:
        return "restaurant", acting_for(call.claims, restaurant_id, PAYOUT)
    if has_role(call.claims, "driver"):
        return "driver", call.account_id
    raise Forbidden("only a driver, or a restaurant's owner naming restaurant_id, may do this")


@endpoint("GET", "/api/v1/payouts/account", tag=TAG, query=WhoIsPaid, response=PayoutAccountOut,
          summary="Where payouts go: the number set, else the owner's (or the console's) or the driver's own",
          roles="restaurant owner, driver")
async def payout_account(call: Call) -> PayoutAccountOut:
    kind, beneficiary_id = _beneficiary(call, call.query.restaurant_id)
    return PayoutAccountOut(**(await paying_out.where_paid(call.app[DATABASE], kind, beneficiary_id)).__dict__)


@endpoint("PUT", "/api/v1/payouts/account", tag=TAG, body=PayoutAccountIn, response=PayoutAccountOut,
          summary="Pay on another MTN or Orange number from now on", roles="restaurant owner, driver")
async def set_payout_account(call: Call) -> PayoutAccountOut:
    kind, beneficiary_id = _beneficiary(call, call.body.restaurant_id)
    paid_on = await paying_out.pay_on(call.app[DATABASE], kind, beneficiary_id, to_e164(call.body.phone),
                                      actor=f"{kind}:{beneficiary_id}:{call.account_id}")
    return PayoutAccountOut(**paid_on.__dict__)


@endpoint("GET", "/api/v1/admin/payouts", tag=TAG, query=PayoutQuery, response=PayoutPage,
          summary="Payouts, newest first, by status", roles="support, admin")
async def list_payouts(call: Call) -> PayoutPage:
    allow(call, "support", "admin")
    q: PayoutQuery = call.query
    found = await paying_out.listed(call.app[DATABASE], status=q.status, limit=q.limit + 1, before_id=q.cursor)
    page, after = cut(found, q.limit)
    return PayoutPage(items=[PayoutOut.of(p) for p in page], next=after)


@endpoint("POST", "/api/v1/admin/payouts/{payout_id}/approve", tag=TAG, response=PayoutOut,
          summary="Approve a payout above the approval limit: it is sent at once", roles="admin")
async def approve(call: Call) -> PayoutOut:
    allow(call, "admin")
    approved = await paying_out.approve(call.app[DATABASE], call.path["payout_id"], call.app[PAYOUTS].rules, actor=actor(call))
    call.app[WAKE].set()
    return PayoutOut.of(approved)


class PayoutRefusal(Shape):
    reason: Reason = Field(description="why, for the audit log and support")


@endpoint("POST", "/api/v1/admin/payouts/{payout_id}/refuse", tag=TAG, body=PayoutRefusal, response=PayoutOut,
          summary="Refuse a payout waiting for approval: nothing is sent and the money stays owed", roles="admin")
async def refuse(call: Call) -> PayoutOut:
    allow(call, "admin")
    return PayoutOut.of(await paying_out.refuse(call.app[DATABASE], call.path["payout_id"], call.app[PAYOUTS].rules,
                                                actor=actor(call), reason=call.body.reason))


@endpoint("GET", "/api/v1/admin/reconciliation", tag=TAG, query=DayQuery, response=ReconciliationOut,
          summary="The ledger's movements at each provider on a day, beside the provider's statement", roles="support, admin")
async def reconciliation(call: Call) -> ReconciliationOut:
    allow(call, "support", "admin")
    tz = call.app[SETTINGS].timezone
    day = call.query.day or call.app[DATABASE].clock().astimezone(ZoneInfo(tz)).date()
    reports = await reconciling.reconcile(call.app[DATABASE], call.app[PAYOUTS].sender.clients, day, tz=tz)
    return ReconciliationOut(day=day, providers=[
        ProviderReport(provider=r.provider, ledger_xaf_in=r.ledger_xaf_in, ledger_xaf_out=r.ledger_xaf_out,
                       provider_xaf_in=r.provider_xaf_in, provider_xaf_out=r.provider_xaf_out, lines=r.lines, error=r.error,
                       differences=[DifferenceOut(our_reference=d.our_reference, direction=d.direction, what=d.what,
                                                  ledger_xaf=d.ledger_xaf, provider_xaf=d.provider_xaf,
                                                  provider_status=d.provider_status) for d in r.differences])
        for r in reports
    ])
