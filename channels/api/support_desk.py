"""Support's desk over REST: drivers who apply (and the application itself), approved, refused,
suspended and reactivated; support tickets read, answered and solved; orders voided or settled
after a failed delivery; a person's timeline. Support and admins only, every change audited.
"""
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from channels.api.admin import TAG, Paging, actor, allow
from channels.api.endpoints import Call, endpoint
from channels.api.schemas import OrderOut, Page, Reason, Shape, Text, cut, printable
from channels.keys import DATABASE, DIALOGS, SETTINGS, WAKE
from core.phones import to_e164
from core.tickets import MAX_TEXT
from core.use_cases import helpdesk, settling, staffing, timeline

SUPPORT = "support, admin"
DriverStanding = Literal["applied", "approved", "refused", "suspended"]
TicketState = Literal["open", "waiting", "solved"]
Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT), AfterValidator(printable)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80), AfterValidator(printable)]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), AfterValidator(printable)]


# Drivers ----------------------------------------------------------------------------------------

class DriverApplication(Shape):
    name: Name = Field(description="the driver's name, as customers and restaurants will read it")
    city: City = Field(description="the city to deliver in, e.g. Yaounde")
    quarters: list[Text] = Field(min_length=1, max_length=12, description="quarters served, as people write them")
    language: Literal["en", "fr"] = Field(description="the language of the driver's SMS")


class DriverOut(Shape):
    account_id: int
    phone: str
    name: str | None
    language: str
    city: str
    zone: list[str] = Field(description="quarters served, as the gazetteer names them")
    status: str = Field(description="applied, approved, refused or suspended")
    status_reason: str | None = Field(description="why refused or suspended")
    online: bool
    updated_at: datetime

    @classmethod
    def of(cls, d: staffing.DriverFacts) -> "DriverOut":
        return cls(account_id=d.account_id, phone=d.phone, name=d.name, language=d.language, city=d.city, zone=list(d.zone),
                   status=d.status.lower(), status_reason=d.status_reason, online=d.online, updated_at=d.updated_at)


class DriverPage(Page):
    items: list[DriverOut]


class DriverQuery(Paging):
    status: DriverStanding | None = Field(None, description="only drivers in this standing")


class Why(Shape):
    reason: Reason = Field(description="why; the driver is told it by SMS")


class MaybeWhy(Shape):
    reason: Reason | None = Field(None, description="why, for the audit log")


@endpoint("POST", "/api/v1/driver-applications", tag="driver", body=DriverApplication, response=DriverOut, status=201,
          summary="Apply to deliver for Chopbar with my number; support approves or refuses, and I am told by SMS",
          roles="any signed-in account that is not a driver yet")
async def apply(call: Call) -> DriverOut:
    b: DriverApplication = call.body
    catalog = await call.app[DIALOGS].catalog.get()
    phone = call.claims["phone"]  # the signed-in number: one applies for oneself
    applied = await staffing.apply(call.app[DATABASE], catalog.gazetteer, phone, name=b.name, city=b.city,
                                   quarters=b.quarters, language=b.language, channel="app")
    return DriverOut.of(applied)


@endpoint("GET", "/api/v1/admin/drivers", tag=TAG, query=DriverQuery, response=DriverPage,
          summary="Drivers by standing (applied first to review), oldest first", roles=SUPPORT)
async def list_drivers(call: Call) -> DriverPage:
    allow(call, "support", "admin")
    q: DriverQuery = call.query
    found = await staffing.drivers_in(call.app[DATABASE], status=q.status.upper() if q.status else None, limit=q.limit + 1,
                                      after_id=q.cursor)
    page = found[:q.limit]
    return DriverPage(items=[DriverOut.of(d) for d in page], next=str(page[-1].account_id) if len(found) > q.limit else None)


async def _decide(call: Call, trigger: str, reason: str | None) -> DriverOut:
    allow(call, "support", "admin")
    decided = await staffing.decide(call.app[DATABASE], call.path["driver_id"], trigger, actor=actor(call), reason=reason)
    call.app[WAKE].set()  # the driver's SMS goes now
    return DriverOut.of(decided)


@endpoint("POST", "/api/v1/admin/drivers/{driver_id}/approve", tag=TAG, body=MaybeWhy, response=DriverOut,
          summary="Approve an applicant: they get the driver role and may go online", roles=SUPPORT)
async def approve_driver(call: Call) -> DriverOut:
    return await _decide(call, "approve", call.body.reason)


@endpoint("POST", "/api/v1/admin/drivers/{driver_id}/refuse", tag=TAG, body=Why, response=DriverOut,
          summary="Refuse an applicant, saying why", roles=SUPPORT)
async def refuse_driver(call: Call) -> DriverOut:
    return await _decide(call, "refuse", call.body.reason)


@endpoint("POST", "/api/v1/admin/drivers/{driver_id}/suspend", tag=TAG, body=Why, response=DriverOut,
          summary="Suspend a driver, saying why: offline, no offers, ON and TAKE refused with the reason", roles=SUPPORT)
async def suspend_driver(call: Call) -> DriverOut:
    return await _decide(call, "suspend", call.body.reason)


@endpoint("POST", "/api/v1/admin/drivers/{driver_id}/reactivate", tag=TAG, body=MaybeWhy, response=DriverOut,
          summary="Reactivate a suspended driver", roles=SUPPORT)
async def reactivate_driver(call: Call) -> DriverOut:
    return await _decide(call, "reactivate", call.body.reason)


# Tickets ----------------------------------------------------------------------------------------

class TicketQuery(Paging):
    status: TicketState | None = Field(None, description="only tickets in this state")


class TicketMessageOut(Shape):
    id: int
    direction: Literal["in", "out"] = Field(description="in: from the person; out: support's answer")
    author: str
    channel: str
    body: str
    created_at: datetime


class TicketOut(Shape):
    id: int
    phone: str
    role: str = Field(description="customer, restaurant or driver: who wrote")
    status: str = Field(description="open (our turn), waiting (theirs) or solved")
    channel: str
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    messages: list[TicketMessageOut]

    @classmethod
    def of(cls, t: helpdesk.TicketFacts, *, first_only: bool = False) -> "TicketOut":
        shown = t.messages[:1] if first_only else t.messages
        messages = [TicketMessageOut(id=m.id, direction=m.direction, author=m.author, channel=m.channel, body=m.body,
                                     created_at=m.created_at) for m in shown]
        return cls(id=t.id, phone=t.phone, role=t.role, status=t.status.lower(), channel=t.channel, created_at=t.created_at,
                   updated_at=t.updated_at, solved_at=t.solved_at, messages=messages)


class TicketPage(Page):
    items: list[TicketOut] = Field(description="tickets with their first message only")


class AnswerIn(Shape):
    text: Message = Field(description="the answer, sent by SMS in the person's language")


@endpoint("GET", "/api/v1/admin/tickets", tag=TAG, query=TicketQuery, response=TicketPage,
          summary="Support tickets by state, oldest first", roles=SUPPORT)
async def list_tickets(call: Call) -> TicketPage:
    allow(call, "support", "admin")
    q: TicketQuery = call.query
    found = await helpdesk.tickets_in(call.app[DATABASE], status=q.status.upper() if q.status else None, limit=q.limit + 1,
                                      after_id=q.cursor)
    page, after = cut(found, q.limit)
    items = [TicketOut.of(t, first_only=True) for t in page]
    return TicketPage(items=items, next=after)


@endpoint("GET", "/api/v1/admin/tickets/{ticket_id}", tag=TAG, response=TicketOut,
          summary="One ticket with all its messages", roles=SUPPORT)
async def get_ticket(call: Call) -> TicketOut:
    allow(call, "support", "admin")
    return TicketOut.of(await helpdesk.ticket(call.app[DATABASE], call.path["ticket_id"]))


@endpoint("POST", "/api/v1/admin/tickets/{ticket_id}/reply", tag=TAG, body=AnswerIn, response=TicketOut,
          summary="Answer a ticket: the person gets it by SMS, and the ticket waits for them", roles=SUPPORT)
async def reply(call: Call) -> TicketOut:
    allow(call, "support", "admin")
    answered = await helpdesk.answer(call.app[DATABASE], call.path["ticket_id"], call.body.text, actor=actor(call),
                                     default_language=call.app[SETTINGS].default_language)
    call.app[WAKE].set()
    return TicketOut.of(answered)


@endpoint("POST", "/api/v1/admin/tickets/{ticket_id}/solve", tag=TAG, response=TicketOut,
          summary="Solve a ticket; the person is told, and a new message within 3 days reopens it", roles=SUPPORT)
async def solve(call: Call) -> TicketOut:
    allow(call, "support", "admin")
    solved = await helpdesk.solve(call.app[DATABASE], call.path["ticket_id"], actor=actor(call),
                                  default_language=call.app[SETTINGS].default_language)
    call.app[WAKE].set()
    return TicketOut.of(solved)


# Orders -----------------------------------------------------------------------------------------

class VoidIn(Shape):
    reason: Reason = Field(description="why; the customer and the restaurant are told it")


class SettleIn(Shape):
    action: Literal["refund", "resend"] = Field(description="refund: close the order and give the money back; "
                                                            "resend: a new delivery job for the same order")
    reason: Reason = Field(description="why, for the audit log")


class SettledOut(Shape):
    order: OrderOut
    refund_xaf: int = Field(description="on its way back to the payer now; 0 when nothing was taken")
    payment_reference: str | None


def _settled(call: Call, done: settling.Settled) -> SettledOut:
    call.app[WAKE].set()  # the refund, the dispatch and the messages go now
    return SettledOut(order=OrderOut.of(done.order), refund_xaf=done.refund_xaf, payment_reference=done.payment_reference)


@endpoint("POST", "/api/v1/admin/orders/{code}/void", tag=TAG, body=VoidIn, response=SettledOut,
          summary="Void an accepted, preparing or ready order: it is cancelled and its money given back", roles=SUPPORT)
async def void(call: Call) -> SettledOut:
    allow(call, "support", "admin")
    return _settled(call, await settling.void(call.app[DATABASE], call.path["code"], actor=actor(call),
                                              reason=call.body.reason))


@endpoint("POST", "/api/v1/admin/orders/{code}/settle", tag=TAG, body=SettleIn, response=SettledOut,
          summary="Settle a failed delivery: refund it, or send it again with a new delivery job", roles=SUPPORT)
async def settle(call: Call) -> SettledOut:
    allow(call, "support", "admin")
    done = await settling.settle_failed_delivery(call.app[DATABASE], call.path["code"], call.body.action, actor=actor(call),
                                                 reason=call.body.reason)
    return _settled(call, done)


# Timeline ---------------------------------------------------------------------------------------

class TimelineQuery(Shape):
    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data):
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data

    cursor: str | None = Field(None, min_length=1, max_length=80, pattern=r"^[0-9T:.+-]+~[0-9]~[0-9]{1,10}$",
                               description="the `next` value of the previous page")
    limit: int = Field(20, ge=1, le=100, description="at most this many on a page")


class TimelineEntry(Shape):
    at: datetime
    kind: Literal[tuple(timeline.RANKS)] = Field(description="order, payment, message_out, message_in, ticket, ticket_message")
    ref: str = Field(description="an order code, a payment reference, a message or ticket number")
    status: str | None
    text: str | None = Field(description="a message's text (codes masked once sent)")
    data: dict


class TimelinePage(Page):
    phone: str
    items: list[TimelineEntry]


@endpoint("GET", "/api/v1/admin/people/{phone}/timeline", tag=TAG, query=TimelineQuery, response=TimelinePage,
          summary="A person's orders, payments, messages and tickets, newest first", roles=SUPPORT)
async def person_timeline(call: Call) -> TimelinePage:
    allow(call, "support", "admin")
    phone = to_e164(call.path["phone"][:32])
    q: TimelineQuery = call.query
    found, after = await timeline.timeline(call.app[DATABASE], phone, limit=q.limit, cursor=q.cursor)
    items = [TimelineEntry(at=e.at, kind=e.kind, ref=e.ref, status=e.status, text=e.text, data=e.data) for e in found]
    return TimelinePage(phone=phone, items=items, next=after)
