"""The operations console over plain HTTP, as a browser with scripts off meets it: who may see it,
live orders and alerts, an order's story and a refund, applications approved, payouts approved
by admins only, a ticket answered by SMS, the business view and its charts under the page policy."""
import base64
import hashlib
import html
import re
from datetime import time

import pytest
from channels.keys import DATABASE, PAYOUTS
from core import ledger
from core.models import Restaurant
from core.use_cases import paying_out
from tests import demo
from tests.channels.test_api_admin import ADMIN, SUPPORT, signed_in
from tests.channels.test_api_applications import apply
from tests.channels.conftest import book, worker  # noqa: F401  (the payment jobs, run by hand)
from tests.channels.test_payments_over_http import paid_momo_order
from tests.console.helpers import cash_pickup_by_ussd, console_sign_in, csrf_of
from tests.sms import inbox, last, text

OPS = "/console/ops"
OWNER = demo.ALL_DAY_YAOUNDE.phone
CUSTOMER = demo.CUSTOMER_EN.phone


async def _post(chopbar, path: str, page: str, **fields):
    return await chopbar.post(path, data={"csrf": csrf_of(page), **fields}, allow_redirects=False)


@pytest.mark.parametrize("phone", [demo.CUSTOMER_FR.phone, OWNER], ids=["customer", "restaurant owner"])
async def test_a_customer_or_a_restaurant_owner_is_refused_the_operations_pages(chopbar, phone):
    await console_sign_in(chopbar, phone)
    for path in (OPS, f"{OPS}/live", f"{OPS}/business", f"{OPS}/applications", f"{OPS}/tickets", f"{OPS}/payouts"):
        response = await chopbar.get(path)
        assert response.status == 403, path


async def test_signed_out_the_operations_page_asks_for_the_code_and_comes_back(chopbar):
    response = await chopbar.get(OPS, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/console/?next=/console/ops"


async def test_support_sees_a_ussd_order_live_then_alerted_and_opens_its_story(chopbar, clock):
    code = await cash_pickup_by_ussd(chopbar, CUSTOMER)
    home = await console_sign_in(chopbar, SUPPORT)
    assert 'href="/console/ops"' in home
    live = await (await chopbar.get(OPS)).text()
    assert f'href="/console/ops/orders/{code}"' in live and "waiting for the restaurant" in live
    assert 'hx-get="/console/ops/live" hx-trigger="every 10s"' in live
    clock.advance(seconds=130)
    fragment = await (await chopbar.get(f"{OPS}/live")).text()
    assert fragment.startswith('<div id="ops-live"') and "<html" not in fragment
    assert re.search(r"Orders no restaurant has answered \(1\)", fragment) and "for 2 min" in fragment
    found = await chopbar.get(f"{OPS}/orders", params={"code": code}, allow_redirects=False)
    assert found.headers["Location"] == f"{OPS}/orders/{code}"
    story = await (await chopbar.get(f"{OPS}/orders/{code}")).text()
    assert "order place" in story and "order.new_for_restaurant" in story and "Refund" not in story  # cash: nothing to refund
    assert (await chopbar.get(f"{OPS}/orders", params={"code": "12"})).status == 400


async def test_support_refunds_part_of_a_paid_order_with_a_reason_and_the_story_shows_it(chopbar, worker, book):
    code = await paid_momo_order(chopbar, worker, book)
    await console_sign_in(chopbar, SUPPORT)
    story = await (await chopbar.get(f"{OPS}/orders/{code}")).text()
    assert 'name="amount_xaf"' in story and 'name="reason"' in story
    refused = await _post(chopbar, f"{OPS}/orders/{code}/refund", story, amount_xaf="500", reason="  ")
    assert refused.status == 303
    assert "Say why" in await (await chopbar.get(f"{OPS}/orders/{code}")).text()
    done = await _post(chopbar, f"{OPS}/orders/{code}/refund", story, amount_xaf="500", reason="cold food")
    assert done.status == 303 and done.headers["Location"] == f"{OPS}/orders/{code}"
    after = await (await chopbar.get(f"{OPS}/orders/{code}")).text()
    assert "500 FCFA" in after and "cold food" in after and "payment refund" in after
    forged = await chopbar.post(f"{OPS}/orders/{code}/refund", data={"amount_xaf": "100", "reason": "x"})
    assert forged.status == 403  # no CSRF token: nothing runs
    assert "cold food" in after and (await (await chopbar.get(f"{OPS}/orders/{code}")).text()).count("payment refund") == 1


async def test_an_admin_approves_a_restaurant_application_and_the_owner_is_told(chopbar):
    applicant = "+237699555401"
    answered = await apply(chopbar, await signed_in(chopbar, applicant), name="Chez Tante Ops")
    assert answered.status == 201, await answered.text()
    restaurant_id = (await answered.json())["restaurant_id"]
    await console_sign_in(chopbar, ADMIN)
    listed = await (await chopbar.get(f"{OPS}/applications")).text()
    assert "Chez Tante Ops" in listed and f"{OPS}/restaurants/{restaurant_id}/approve" in listed
    done = await _post(chopbar, f"{OPS}/restaurants/{restaurant_id}/approve", listed)
    assert done.status == 303
    assert "Chez Tante Ops is approved" in await (await chopbar.get(f"{OPS}/applications")).text()
    async with chopbar.app[DATABASE].unit() as unit:
        assert (await unit.session.get(Restaurant, restaurant_id)).status == "approved"
    assert any("Chez Tante Ops" in m for m in await inbox(chopbar, applicant))


async def test_support_refuses_a_driver_application_with_the_reason_sent_by_sms(chopbar):
    applicant = "+237699555402"
    await text(chopbar, applicant, "LIVREUR Paul Abena Bastos")
    await console_sign_in(chopbar, SUPPORT)
    listed = await (await chopbar.get(f"{OPS}/applications")).text()
    driver_id = re.search(r'/console/ops/drivers/(\d+)/refuse', listed).group(1)
    assert "Paul Abena" in listed
    await _post(chopbar, f"{OPS}/drivers/{driver_id}/refuse", listed, reason="no papers yet")
    assert "no papers yet" in await last(chopbar, applicant)
    assert "Paul Abena" not in (await (await chopbar.get(f"{OPS}/applications")).text()).split("Drivers")[1]


async def test_payouts_wait_for_an_admin_and_support_may_not_approve_them(chopbar):
    db = chopbar.app[DATABASE]
    async with db.unit() as unit:
        rid = (await demo.restaurant(unit)).id
        ledger.post(unit, "delivery_split", [("escrow:order:000000", 250_000), (f"restaurant:{rid}", -250_000)])
    [started] = await paying_out.daily(db, chopbar.app[PAYOUTS].rules, tz="Africa/Douala", at=time(0, 0))
    assert started.status == "AWAITING_APPROVAL"
    await console_sign_in(chopbar, SUPPORT)
    assert (await chopbar.get(f"{OPS}/payouts")).status == 403
    home = await (await chopbar.get(OPS)).text()
    assert (await _post(chopbar, f"{OPS}/payouts/{started.id}/approve", home)).status == 403
    await chopbar.post("/console/logout", data={"csrf": csrf_of(home)})
    await console_sign_in(chopbar, ADMIN)
    listed = await (await chopbar.get(f"{OPS}/payouts")).text()
    assert started.reference in listed and "250,000 FCFA" in listed
    await _post(chopbar, f"{OPS}/payouts/{started.id}/approve", listed)
    after = await (await chopbar.get(f"{OPS}/payouts")).text()
    assert f"Payout {started.reference} is approved" in after and f"payout-{started.id}" not in after


async def test_a_support_reply_in_the_console_goes_out_by_sms(chopbar):
    await text(chopbar, CUSTOMER, "HELP my food came cold")
    await console_sign_in(chopbar, SUPPORT)
    inbox_page = await (await chopbar.get(f"{OPS}/tickets")).text()
    ticket_id = re.search(r'/console/ops/tickets/(\d+)"', inbox_page).group(1)
    assert "my food came cold" in inbox_page
    ticket_page = await (await chopbar.get(f"{OPS}/tickets/{ticket_id}")).text()
    sent = await _post(chopbar, f"{OPS}/tickets/{ticket_id}/reply", ticket_page, text="We are calling you now.")
    assert sent.status == 303 and sent.headers["Location"] == f"{OPS}/tickets/{ticket_id}"
    assert await last(chopbar, CUSTOMER) == f"Chopbar support, ticket {ticket_id}: We are calling you now. Reply HELP <text> to answer."
    shown = await (await chopbar.get(f"{OPS}/tickets/{ticket_id}")).text()
    assert "goes out by SMS" in shown and "We are calling you now." in shown
    link = f'href="/console/ops/tickets/{ticket_id}"'
    assert link not in await (await chopbar.get(f"{OPS}/tickets")).text()  # waiting for them now
    assert link in await (await chopbar.get(f"{OPS}/tickets", params={"status": "WAITING"})).text()


async def test_the_business_view_draws_its_charts_under_the_page_policy(chopbar):
    await cash_pickup_by_ussd(chopbar, CUSTOMER)
    await console_sign_in(chopbar, ADMIN, lang="fr")
    response = await chopbar.get(f"{OPS}/business", params={"days": "30"})
    page = await response.text()
    assert response.status == 200 and page.count('<svg role="img"') == 4 and "<script" not in page.split("</head>")[1]
    assert "Commandes par jour" in page and "Menu principal" in page
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    for block in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(html.unescape(block).encode()).digest()).decode()  # as a browser reads SVG
        assert f"'sha256-{digest}'" in policy
    assert (await chopbar.get(f"{OPS}/business", params={"days": "5"})).status == 400
