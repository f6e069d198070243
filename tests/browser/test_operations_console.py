"""The operations console in a real browser: an admin approves a restaurant application; a support
reply goes out by SMS; a USSD order shows on the live list without a reload; every operations page
passes axe in both languages; the business charts load under the service's own page policy; and
the operations view is photographed for the README."""
import re

import pytest

from tests import demo
from tests.browser.conftest import SCREENSHOTS, accessibility_problems
from tests.browser.helpers import messages_to, sign_in, wait_for_text
from tests.channels.test_api_applications import apply
from tests.channels.test_api_auth import bearer, sign_in as api_sign_in
from tests.console.helpers import cash_pickup_by_ussd
from tests.sms import text
from tests.ussd import gateway_for, pick

ADMIN = "+237677000099"
SUPPORT = "+237699000090"
CUSTOMER = demo.CUSTOMER_EN.phone
OPS = "/console/ops"


async def _signed_in(browser, http, service, phone: str, **options):
    context = await browser.new_context(**options)
    page = await context.new_page()
    await sign_in(page, http, service, phone)
    return context, page


async def test_an_admin_approves_a_restaurant_application_in_the_console(service, http, browser):
    applicant = "+237699555501"
    answered = await apply(http, bearer(await api_sign_in(http, applicant)), name="Chez Tante Browser")
    assert answered.status == 201, await answered.text()
    restaurant_id = (await answered.json())["restaurant_id"]
    context, page = await _signed_in(browser, http, service, ADMIN)
    await page.click(f"a[href='{OPS}']")
    await page.click(f"nav.ops a[href='{OPS}/applications']")
    card = page.locator(f"#restaurant-{restaurant_id}")
    assert "Chez Tante Browser" in await card.inner_text()
    before = len(await messages_to(http, applicant))
    await card.locator("button.accept").click()
    await page.wait_for_url(re.compile(r"/console/ops/applications$"))
    assert "Chez Tante Browser" in await page.locator("p.notice").inner_text()
    assert await page.locator(f"#restaurant-{restaurant_id}").count() == 0
    await wait_for_text(http, applicant, "Chez Tante Browser", after=before)
    listed = await (await http.get("/api/v1/restaurants", params={"name": "Tante Browser", "city": "Yaounde"})).json()
    assert [r["id"] for r in listed["items"]] == [restaurant_id]
    await context.close()


async def test_a_support_reply_in_the_console_goes_out_by_sms(service, http, browser):
    await text(http, CUSTOMER, "HELP where is my rider?")
    context, page = await _signed_in(browser, http, service, SUPPORT)
    await page.goto(f"{service}{OPS}/tickets")
    await page.click("main ul.cards a")
    assert "where is my rider?" in await page.inner_text("main")
    before = len(await messages_to(http, CUSTOMER))
    await page.fill("#answer", "He is at Bastos roundabout, 5 minutes away.")
    await page.click("form[action$='/reply'] button")
    await page.wait_for_selector("p.notice")
    told = await wait_for_text(http, CUSTOMER, "He is at Bastos roundabout", after=before)
    assert told.startswith("Chopbar support, ticket ")
    await context.close()


async def test_a_ussd_order_shows_on_the_live_list_without_a_reload(service, http, browser):
    context, page = await _signed_in(browser, http, service, SUPPORT)
    await page.goto(f"{service}{OPS}")
    await page.wait_for_function("window.htmx")
    await page.evaluate("window.notReloaded = true")
    code = await cash_pickup_by_ussd(http, CUSTOMER)
    await page.locator(f"#ops-live a[href='{OPS}/orders/{code}']").wait_for(timeout=25_000)
    assert await page.evaluate("window.notReloaded") is True
    await context.close()


async def test_the_business_charts_load_under_the_services_own_page_policy(service, http, browser):
    await cash_pickup_by_ussd(http, CUSTOMER)
    context, page = await _signed_in(browser, http, service, ADMIN)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    await page.goto(f"{service}{OPS}/business?days=7")
    assert await page.locator("figure svg[role=img]").count() == 4
    await page.wait_for_timeout(300)
    assert refused == [], '\n'.join(refused)
    await context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_every_operations_page_passes_axe_and_the_view_is_photographed(service, http, browser, language):
    code = await cash_pickup_by_ussd(http, CUSTOMER)
    await text(http, CUSTOMER, "HELP the food is late")
    left = gateway_for(http).dial("+237699555601")  # a dial given up on the restaurants: the funnel has a step
    await left.open()
    await pick(left, "Commander a manger")
    await pick(left, "Yaounde")
    assert await left.hang_up(status="Incomplete") == 200
    context, page = await _signed_in(browser, http, service, ADMIN, bypass_csp=True)  # axe is injected as a script
    if await page.get_attribute("html", "lang") != language:
        await page.click("form[action='/console/language'] button")
    await page.goto(f"{service}{OPS}/tickets")
    ticket = await page.get_attribute("main ul.cards a", "href")
    problems = {}
    for path in (OPS, f"{OPS}/orders/{code}", f"{OPS}/applications", f"{OPS}/tickets", ticket, f"{OPS}/payouts", f"{OPS}/promo-codes",
                 f"{OPS}/business?days=7"):
        await page.goto(service + path)
        assert await page.get_attribute("html", "lang") == language
        problems[path] = await accessibility_problems(page)
    assert {p: v for p, v in problems.items() if v} == {}
    if language == "en":
        await page.goto(f"{service}{OPS}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / "operations.png"), full_page=True)
        await page.goto(f"{service}{OPS}/business?days=7")
        await page.screenshot(path=str(SCREENSHOTS / "operations-business.png"), full_page=True)
    await context.close()
