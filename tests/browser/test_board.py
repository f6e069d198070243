"""The restaurant's live board in a real browser: signed in with the SMS code, a USSD order
arrives without a reload, accepting it texts the customer; scripts off, the same forms work; a
form without its CSRF token is refused; logout ends the session."""
import re

from tests import demo
from tests.browser.conftest import SCREENSHOTS, accessibility_problems
from tests.browser.helpers import messages_to, sign_in, wait_for_text
from tests.channels.test_api_ordering import menu_item
from tests.console.helpers import cash_pickup_by_ussd

OWNER = demo.ALL_DAY_YAOUNDE.phone
CUSTOMER = demo.CUSTOMER_EN.phone


async def _status(http, restaurant_id: int, code: str) -> str:
    """The order's status as the board shows it to a signed-in page (read by the test through the API)."""
    await http.post("/api/v1/auth/otp", json={"phone": CUSTOMER})
    texts = await messages_to(http, CUSTOMER)
    code_sent = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    tokens = await (await http.post("/api/v1/auth/token", json={"phone": CUSTOMER, "code": code_sent})).json()
    found = await http.get(f"/api/v1/orders/{code}", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    return (await found.json())["status"]


async def test_a_ussd_order_appears_without_a_reload_and_accepting_it_texts_the_customer(service, http, browser):
    restaurant_id, _ = await menu_item(http)
    context = await browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    page = await context.new_page()
    await page.goto(f"{service}/console/")
    assert await accessibility_problems(page) == []
    await sign_in(page, http, service, OWNER)
    assert page.url == f"{service}/console/restaurants/{restaurant_id}"
    await page.evaluate("window.notReloaded = true")
    await page.wait_for_function("document.querySelector('#live') && window.htmx")

    code = await cash_pickup_by_ussd(http, CUSTOMER)
    card = page.locator(f"#order-{code}")
    await card.wait_for(timeout=20_000)
    assert await page.evaluate("window.notReloaded") is True
    assert await page.get_attribute("#live", "data-beeps") == "1"
    assert await accessibility_problems(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "board.png"), full_page=True)

    before = len(await messages_to(http, CUSTOMER))
    await card.locator("input[name=minutes]").fill("15")
    await card.locator("button.accept").click()
    await page.locator(f"#order-{code} button.ready").wait_for()
    assert await page.evaluate("window.notReloaded") is True  # htmx swapped the board in place
    told = await wait_for_text(http, CUSTOMER, code, after=before)
    assert "15" in told, told
    await context.close()


async def test_with_scripts_off_the_plain_forms_accept_and_reject(service, http, browser):
    restaurant_id, _ = await menu_item(http)
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    await sign_in(page, http, service, OWNER)
    first = await cash_pickup_by_ussd(http, CUSTOMER)
    second = await cash_pickup_by_ussd(http, "+237680000004")  # Emmanuel Nkeng, English too
    await page.reload()
    await page.locator(f"#order-{first} button.accept").click()
    await page.wait_for_url(f"{service}/console/restaurants/{restaurant_id}")
    assert await page.locator(f"#order-{first} button.ready").count() == 1
    await page.locator(f"#order-{second} input[name=reason]").fill("plus de gaz")
    await page.locator(f"#order-{second} button.reject").click()
    await page.wait_for_url(f"{service}/console/restaurants/{restaurant_id}")
    assert await page.locator(f"#order-{second}").count() == 0
    assert await _status(http, restaurant_id, first) == "ACCEPTED"
    await context.close()


async def test_a_post_without_the_csrf_token_is_refused_and_logout_ends_the_session(service, http, browser):
    restaurant_id, _ = await menu_item(http)
    context = await browser.new_context()  # the service's own Content-Security-Policy in force
    page = await context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    await sign_in(page, http, service, OWNER)
    await page.wait_for_function("window.htmx !== undefined")  # the vendored script is allowed, from self
    code = await cash_pickup_by_ussd(http, CUSTOMER)
    forged = await page.request.post(f"{service}/console/restaurants/{restaurant_id}/orders/{code}/accept",
                                     form={"minutes": "10"})
    assert forged.status == 403
    assert await _status(http, restaurant_id, code) == "PENDING_RESTAURANT"
    await page.click("form[action='/console/logout'] button")
    await page.wait_for_url(f"{service}/console/")
    assert await page.locator("#phone").count() == 1
    await page.goto(f"{service}/console/restaurants/{restaurant_id}")
    assert await page.locator("#phone").count() == 1  # sent to sign in again
    assert refused == []  # the inline style's hash and the scripts from self pass the policy
    await context.close()
