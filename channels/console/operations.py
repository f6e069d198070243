"""The operations console, /console/ops/, for support and admins (as the API's roles): the orders
under way across restaurants and the alerts (both read again every few seconds by htmx, and on
each reload with scripts off), an order's whole story with refunds, restaurant and driver
applications, payouts to approve (admins), the tickets inbox with replies that go out by SMS,
and the business in figures with its charts.

Every action is a plain form posting to the same core use case as REST (support, settling,
onboarding, staffing, paying_out, helpdesk), answered by a redirect to the page it came from,
with what happened (or why it was refused) shown there once.
"""
import base64
import hashlib
import html
import re

from aiohttp import web
from aiohttp_session import get_session

from channels import operations_charts as charts
from channels.console.foundation import CONSOLE, CSP, INLINE_CSS, PREFIX, language, operator, page, see_other
from channels.keys import DATABASE, DIALOGS, PAYOUTS, REVOCATIONS, SETTINGS, WAKE
from core.codes import CODE_LENGTH
from core.errors import BadInput, ChopbarError
from core.formatting import clock_text, local_time, money
from core.i18n import N_, translate
from core.use_cases import business, helpdesk, onboarding, operations, paying_out, settling, staffing, support
from state_machines.driver import DriverStatus
from state_machines.payout import PayoutStatus
from state_machines.restaurant import RestaurantStatus
from state_machines.ticket import TicketStatus

OPS = "/ops"
POLL_S = 10  # the live orders and alerts are read again this often with scripts on
LISTED = 50  # applications, tickets and payouts shown on a page; the API pages through them all
REASON_MOST = 160
DAY_CHOICES = (1, 7, 30)

ALERTS = {
    "unaccepted": N_("Orders no restaurant has answered"),
    "no_driver": N_("Deliveries no driver has taken"),
    "failed_deliveries": N_("Failed deliveries"),
    "wrong_codes": N_("Wrong handover codes"),
}
STATUSES = {
    "AWAITING_PAYMENT": N_("awaiting payment"), "PENDING_RESTAURANT": N_("waiting for the restaurant"),
    "ACCEPTED": N_("accepted"), "PREPARING": N_("preparing"), "READY": N_("ready"), "PICKED_UP": N_("on the way"),
    "DELIVERED": N_("delivered"), "COLLECTED": N_("collected"), "COMPLETED": N_("completed"),
    "REJECTED": N_("rejected"), "EXPIRED": N_("expired"), "CANCELLED": N_("cancelled"),
    "DELIVERY_FAILED": N_("delivery failed"),
}
TICKET_STATES = {"OPEN": N_("waiting for us"), "WAITING": N_("waiting for them"), "SOLVED": N_("solved")}
DONE = {
    "refund": N_("Refund of {amount} for order {code} is on its way."),
    "settled": N_("Order {code}: done."),
    "approved": N_("{name} is approved; they are told by SMS."),
    "refused": N_("{name} is refused; they are told why by SMS."),
    "replied": N_("Your answer to ticket {ticket} goes out by SMS."),
    "solved": N_("Ticket {ticket} is solved."),
    "payout_approved": N_("Payout {reference} is approved and goes out now."),
    "payout_refused": N_("Payout {reference} is refused."),
}
NEED_REASON = N_("Say why: it is kept in the audit log.")
NOT_AN_AMOUNT = N_("The amount is a whole number of francs, like 1500, or empty for all.")
NOT_A_CODE = N_("An order code is 6 digits.")


# --- small helpers -------------------------------------------------------------------------------

def age(seconds: int) -> str:
    """'45 s', '12 min', '2 h 05': how long, short enough for a phone's table."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


def when(at, lang: str, tz: str) -> str:
    """'24/11 12:30', local time: a day and a clock, for what may be older than today."""
    return f"{local_time(at, tz).strftime('%d/%m')} {clock_text(at, lang, tz)}"


def _status(status: str, lang: str) -> str:
    return translate(STATUSES[status], lang) if status in STATUSES else status.lower()


def _reason(form, lang: str, *, required: bool = True) -> str | None:
    reason = " ".join(str(form.get("reason", "")).split())[:REASON_MOST]
    if required and not reason:
        raise BadInput(translate(NEED_REASON, lang))
    return reason or None


async def _said(request: web.Request, message: str) -> None:
    """What happened, shown once on the next page (a redirect follows every form)."""
    (await get_session(request))["notice"] = message


async def _notice(request: web.Request) -> str | None:
    return (await get_session(request)).pop("notice", None)


async def _act(request: web.Request, back: str, act) -> web.Response:
    """Runs one action; its outcome (or the reason it was refused) is told on the page it came from."""
    try:
        message = await act()
        request.config_dict[WAKE].set()  # its SMS (or refund, or payout) goes now
    except ChopbarError as exc:
        if exc.status in (403, 503):
            raise
        message = str(exc)
    await _said(request, message)
    raise see_other(back)


def _ctx(request: web.Request, who, section: str) -> dict:
    return {"section": section, "is_admin": who.has_role("admin"), "ops": PREFIX + OPS}


# --- live orders and alerts -----------------------------------------------------------------------

async def _live(request: web.Request) -> dict:
    app = request.config_dict
    lang, tz = language(request), app[SETTINGS].timezone
    found = await operations.live_orders(app[DATABASE])
    alerts = await operations.alerts(app[DATABASE], app[SETTINGS].alert_rules())
    rows = [{"code": o.code, "restaurant": o.restaurant, "city": o.city, "status": _status(o.status, lang),
             "since": clock_text(o.created_at, lang, tz), "age": age(o.age_s), "still": age(o.still_s),
             "total": money(o.total_xaf, lang), "channel": o.channel,
             "delivery": o.delivery.lower() if o.delivery else "", "late": o.status == "PENDING_RESTAURANT"
             and o.still_s >= app[SETTINGS].alert_unaccepted_after} for o in found]
    groups = [(key, translate(title, lang), [
        {"code": a.code, "restaurant": a.restaurant, "status": _status(a.status, lang), "waited": age(a.waited_s),
         "wrong_codes": a.wrong_codes, "driver": a.driver_phone, "reason": a.reason}
        for a in getattr(alerts, key)]) for key, title in ALERTS.items()]
    return {"live": rows, "alerts": groups, "alert_count": alerts.count, "poll_s": POLL_S}


async def overview(request: web.Request) -> web.Response:
    who = await operator(request)
    return page(request, "ops_live.html", notice=await _notice(request), **_ctx(request, who, "live"),
                **await _live(request))


async def overview_fragment(request: web.Request) -> web.Response:
    """The live orders and alerts alone, for htmx to swap in every few seconds."""
    who = await operator(request)
    return page(request, "_ops_live.html", **_ctx(request, who, "live"), **await _live(request))


# --- one order -----------------------------------------------------------------------------------

async def find_order(request: web.Request) -> web.Response:
    """The search box: a code goes to its order's page."""
    await operator(request)
    code = request.query.get("code", "").strip()
    if not (len(code) == CODE_LENGTH and code.isascii() and code.isdigit()):
        raise BadInput(translate(NOT_A_CODE, language(request)))
    raise see_other(f"{PREFIX}{OPS}/orders/{code}")


async def order_page(request: web.Request) -> web.Response:
    who = await operator(request)
    app = request.config_dict
    lang, tz = language(request), app[SETTINGS].timezone
    story = await operations.order_story(app[DATABASE], request.match_info["code"])
    events = [{"at": when(e.at, lang, tz), "entity": e.entity,
               "trigger": e.trigger, "change": " → ".join(s for s in (e.from_state, e.to_state) if s),
               "actor": e.actor, "reason": e.reason or "", "data": _data(e.data)} for e in story.events]
    messages = [{"at": when(m.created_at, lang, tz), "to": m.to_phone, "kind": m.kind, "status": m.status,
                 "body": m.body} for m in story.messages]
    order = story.order
    return page(request, "ops_order.html", notice=await _notice(request), **_ctx(request, who, "live"),
                order=order, state=_status(order.status, lang), restaurant=story.restaurant,
                customer=story.customer_phone, total=money(order.total_xaf, lang), events=events, messages=messages,
                refundable=order.payment_method != "cash", failed=order.status == "DELIVERY_FAILED",
                voidable=order.status in ("ACCEPTED", "PREPARING", "READY"))


def _data(data: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(data.items()) if v not in (None, "", [], {}))


def _amount(form, lang: str) -> int | None:
    raw = str(form.get("amount_xaf", "")).strip().replace(" ", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) > 0):
        raise BadInput(translate(NOT_AN_AMOUNT, lang))
    return int(raw)


async def refund(request: web.Request) -> web.Response:
    who = await operator(request)
    code, lang = request.match_info["code"], language(request)
    form = await request.post()

    async def act() -> str:
        done = await support.refund(request.config_dict[DATABASE], code, _amount(form, lang), actor=who.actor,
                                    reason=_reason(form, lang))
        return translate(DONE["refund"], lang, amount=money(done.refund_due_xaf, lang), code=code)
    return await _act(request, f"{PREFIX}{OPS}/orders/{code}", act)


async def settle(request: web.Request) -> web.Response:
    """A failed delivery refunded or sent again, or an order in the kitchen voided: settling's use cases."""
    who = await operator(request)
    code, lang = request.match_info["code"], language(request)
    form = await request.post()
    action = str(form.get("action", ""))

    async def act() -> str:
        units, reason = request.config_dict[DATABASE], _reason(form, lang)
        if action == "void":
            await settling.void(units, code, actor=who.actor, reason=reason)
        else:
            if action not in ("refund", "resend"):
                raise BadInput("action: refund, resend or void")
            await settling.settle_failed_delivery(units, code, action, actor=who.actor, reason=reason)
        return translate(DONE["settled"], lang, code=code)
    return await _act(request, f"{PREFIX}{OPS}/orders/{code}", act)


# --- applications --------------------------------------------------------------------------------

async def applications_page(request: web.Request) -> web.Response:
    who = await operator(request)
    units, lang, tz = request.config_dict[DATABASE], language(request), request.config_dict[SETTINGS].timezone
    restaurants = await support.restaurants_in(units, status=RestaurantStatus.PENDING.value, limit=LISTED, after_id=None)
    drivers = await staffing.drivers_in(units, status=DriverStatus.APPLIED.value, limit=LISTED, after_id=None)
    return page(request, "ops_applications.html", notice=await _notice(request), **_ctx(request, who, "applications"),
                restaurants=[{"id": r.id, "name": r.name, "city": r.city, "quarter": r.quarter, "phone": r.phone,
                              "since": when(r.created_at, lang, tz)}
                             for r in restaurants],
                drivers=[{"id": d.account_id, "name": d.name or d.phone, "phone": d.phone, "city": d.city,
                          "zone": ", ".join(d.zone),
                          "since": when(d.updated_at, lang, tz)}
                         for d in drivers])


async def review_restaurant(request: web.Request) -> web.Response:
    who = await operator(request)
    app, lang = request.config_dict, language(request)
    restaurant_id, trigger = int(request.match_info["restaurant_id"]), request.match_info["trigger"]
    form = await request.post()

    async def act() -> str:
        reason = _reason(form, lang, required=trigger == "refuse")
        facts = await support.restaurant_facts(app[DATABASE], restaurant_id)
        await onboarding.review(app[DATABASE], restaurant_id, trigger, by=who.account_id, actor=who.actor, reason=reason,
                                revoke=app[REVOCATIONS].revoke)
        app[DIALOGS].catalog.invalidate()  # this process lists it (or not) at once, others within the TTL
        return translate(DONE["approved" if trigger == "approve" else "refused"], lang, name=facts.name)
    return await _act(request, f"{PREFIX}{OPS}/applications", act)


async def review_driver(request: web.Request) -> web.Response:
    who = await operator(request)
    lang = language(request)
    driver_id, trigger = int(request.match_info["driver_id"]), request.match_info["trigger"]
    form = await request.post()

    async def act() -> str:
        reason = _reason(form, lang, required=trigger == "refuse")
        decided = await staffing.decide(request.config_dict[DATABASE], driver_id, trigger, actor=who.actor, reason=reason)
        return translate(DONE["approved" if trigger == "approve" else "refused"], lang, name=decided.name or decided.phone)
    return await _act(request, f"{PREFIX}{OPS}/applications", act)


# --- payouts (admins) ------------------------------------------------------------------------------

async def payouts_page(request: web.Request) -> web.Response:
    who = await operator(request, "admin")
    lang, tz = language(request), request.config_dict[SETTINGS].timezone
    waiting = await paying_out.listed(request.config_dict[DATABASE], status=PayoutStatus.AWAITING_APPROVAL.value,
                                      limit=LISTED, before_id=None)
    return page(request, "ops_payouts.html", notice=await _notice(request), **_ctx(request, who, "payouts"),
                payouts=[{"id": p.id, "reference": p.reference, "kind": p.kind, "phone": p.phone, "provider": p.provider,
                          "amount": money(p.amount_xaf, lang), "reason": p.reason,
                          "since": when(p.created_at, lang, tz)}
                         for p in waiting])


async def decide_payout(request: web.Request) -> web.Response:
    who = await operator(request, "admin")
    app, lang = request.config_dict, language(request)
    payout_id, trigger = int(request.match_info["payout_id"]), request.match_info["trigger"]
    form = await request.post()

    async def act() -> str:
        rules = app[PAYOUTS].rules
        if trigger == "approve":
            done = await paying_out.approve(app[DATABASE], payout_id, rules, actor=who.actor)
            return translate(DONE["payout_approved"], lang, reference=done.reference)
        done = await paying_out.refuse(app[DATABASE], payout_id, rules, actor=who.actor, reason=_reason(form, lang))
        return translate(DONE["payout_refused"], lang, reference=done.reference)
    return await _act(request, f"{PREFIX}{OPS}/payouts", act)


# --- tickets -------------------------------------------------------------------------------------

async def tickets_page(request: web.Request) -> web.Response:
    who = await operator(request)
    lang, tz = language(request), request.config_dict[SETTINGS].timezone
    shown = request.query.get("status", TicketStatus.OPEN.value)
    if shown not in {s.value for s in TicketStatus}:
        raise BadInput("status: OPEN, WAITING or SOLVED")
    found = await helpdesk.tickets_in(request.config_dict[DATABASE], status=shown, limit=LISTED, after_id=None)
    return page(request, "ops_tickets.html", notice=await _notice(request), **_ctx(request, who, "tickets"),
                shown=shown, statuses=[(s.value, translate(TICKET_STATES[s.value], lang)) for s in TicketStatus],
                tickets=[{"id": t.id, "phone": t.phone, "role": t.role, "channel": t.channel,
                          "last": t.messages[-1].body if t.messages else "",
                          "since": when(t.updated_at, lang, tz)}
                         for t in found])


async def ticket_page(request: web.Request) -> web.Response:
    who = await operator(request)
    lang, tz = language(request), request.config_dict[SETTINGS].timezone
    found = await helpdesk.ticket(request.config_dict[DATABASE], int(request.match_info["ticket_id"]))
    return page(request, "ops_ticket.html", notice=await _notice(request), **_ctx(request, who, "tickets"),
                ticket=found, state=translate(TICKET_STATES.get(found.status, found.status), lang), messages=[{"incoming": m.direction == "in", "author": m.author, "body": m.body,
                                         "channel": m.channel,
                                         "at": when(m.created_at, lang, tz)}
                                        for m in found.messages])


async def answer_ticket(request: web.Request) -> web.Response:
    who = await operator(request)
    app, lang = request.config_dict, language(request)
    ticket_id, trigger = int(request.match_info["ticket_id"]), request.match_info["trigger"]
    form = await request.post()

    async def act() -> str:
        if trigger == "reply":
            await helpdesk.answer(app[DATABASE], ticket_id, str(form.get("text", "")), actor=who.actor,
                                  default_language=app[SETTINGS].default_language)
            return translate(DONE["replied"], lang, ticket=ticket_id)
        await helpdesk.solve(app[DATABASE], ticket_id, actor=who.actor, default_language=app[SETTINGS].default_language)
        return translate(DONE["solved"], lang, ticket=ticket_id)
    return await _act(request, f"{PREFIX}{OPS}/tickets/{ticket_id}", act)


# --- the business in figures -----------------------------------------------------------------------

STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


async def business_page(request: web.Request) -> web.Response:
    who = await operator(request)
    lang = language(request)
    raw = request.query.get("days", "7")
    days = int(raw) if raw in {str(d) for d in DAY_CHOICES} else None
    if days is None:
        raise BadInput(f"days: {', '.join(str(d) for d in DAY_CHOICES)}")
    figures = await business.business(request.config_dict[DATABASE], tz=request.config_dict[SETTINGS].timezone, days=days)
    drawn = [charts.orders_by_day(figures, lang), charts.takings_by_day(figures, lang),
             charts.payment_success(figures, lang), charts.ussd_funnel(figures, lang)]
    response = page(
        request, "ops_business.html", notice=await _notice(request), **_ctx(request, who, "business"), figures=figures, days=days,
        day_choices=DAY_CHOICES, charts=drawn,
        rows=[{"day": d.day.strftime("%d/%m"), "orders": d.orders, "served": d.served, "cancelled": d.cancelled,
               "takings": money(d.takings_xaf, lang), "commission": money(d.commission_xaf, lang), "drivers": d.drivers}
              for d in reversed(figures.days)],
        takings=money(figures.takings_xaf, lang), commission=money(figures.commission_xaf, lang),
        steps=[{"screen": charts.screen_label(s.screen, lang), "reached": s.reached, "left": s.left}
               for s in figures.funnel.steps],
        given_up=[{"screen": charts.screen_label(s.screen, lang), "left": s.left} for s in figures.funnel.given_up],
    )
    response.headers["Content-Security-Policy"] = _policy_with(request, drawn)
    return response


def _policy_with(request: web.Request, svgs: list[str]) -> str:
    """The console's policy, its styles also allowing each chart's own <style> by its hash:
    pygal writes one per chart, and no other inline style is let in. A <style> inside SVG is
    parsed as SVG, its character references decoded (`&gt;`), and the browser hashes what is left."""
    hashes = [_hash(request.config_dict[CONSOLE][INLINE_CSS])]
    hashes += [_hash(html.unescape(block)) for svg in svgs for block in STYLE_BLOCK.findall(svg)]
    return CSP.format(style=" ".join(hashes))


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def setup(console: web.Application) -> None:
    console.router.add_get(OPS, overview)
    console.router.add_get(OPS + "/live", overview_fragment)
    console.router.add_get(OPS + "/orders", find_order)
    order = OPS + "/orders/{code:\\d{6}}"
    console.router.add_get(order, order_page)
    console.router.add_post(order + "/refund", refund)
    console.router.add_post(order + "/settle", settle)
    console.router.add_get(OPS + "/applications", applications_page)
    console.router.add_post(OPS + "/restaurants/{restaurant_id:\\d{1,9}}/{trigger:approve|refuse}", review_restaurant)
    console.router.add_post(OPS + "/drivers/{driver_id:\\d{1,9}}/{trigger:approve|refuse}", review_driver)
    console.router.add_get(OPS + "/payouts", payouts_page)
    console.router.add_post(OPS + "/payouts/{payout_id:\\d{1,9}}/{trigger:approve|refuse}", decide_payout)
    console.router.add_get(OPS + "/tickets", tickets_page)
    console.router.add_get(OPS + "/tickets/{ticket_id:\\d{1,9}}", ticket_page)
    console.router.add_post(OPS + "/tickets/{ticket_id:\\d{1,9}}/{trigger:reply|solve}", answer_ticket)
    console.router.add_get(OPS + "/business", business_page)
