"""The console and the web phone work under the service's Content-Security-Policy (no bypass): their
scripts and styles come from the service, and the browser refuses nothing; an inline script that a
page did carry would be refused, and the check would see it."""
import re

from playwright.async_api import expect

from tests import demo
from tests.browser.helpers import policy_refusals, sign_in
from tests.channels.test_api_ordering import menu_item

OWNER = demo.ALL_DAY_YAOUNDE.phone


async def test_the_web_phone_dials_and_is_styled_under_its_policy(service, browser):
    context = await browser.new_context()
    page = await context.new_page()
    refused = policy_refusals(page)
    await page.goto(f"{service}/sim/phone?lang=en")
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(244, 244, 241)"  # phone.css, from the service, applied
    phone = page.locator("#phone-customer")
    # phone.js has loaded the demo people (its first fetch): a call before that may be reset by it
    await expect(phone.get_by_label("Phone number")).to_have_value(re.compile(r"^\+237\d{9}$"))
    await expect(page.locator("#restaurant-people option")).not_to_have_count(0)
    await phone.get_by_label("Dial or answer").fill("*384*2468#")
    await phone.locator("button.call").click()
    await expect(phone.locator(".screen-text")).to_contain_text("Chopbar: ", timeout=20_000)  # phone.js ran and called the service
    assert refused == []
    await context.close()


async def test_the_console_signs_in_and_shows_the_board_and_menu_under_its_policy(service, http, browser):
    restaurant_id, _ = await menu_item(http)
    context = await browser.new_context()
    page = await context.new_page()
    refused = policy_refusals(page)
    await sign_in(page, http, service, OWNER)
    await page.wait_for_function("window.htmx !== undefined")
    await page.goto(f"{service}/console/restaurants/{restaurant_id}/menu")
    await page.wait_for_load_state()
    colour = await page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    assert colour == "rgb(122, 46, 14)", "the console's inline sheet, let in by its hash, applies"
    assert refused == []
    await context.close()


async def test_an_inline_script_is_refused_and_the_check_sees_it(service, browser):
    context = await browser.new_context()
    page = await context.new_page()
    refused = policy_refusals(page)
    await page.goto(f"{service}/sim/phone?lang=en")
    await page.evaluate("document.head.appendChild(Object.assign(document.createElement('script'), {textContent: 'window.ran = 1'}))")
    await page.wait_for_timeout(200)
    assert await page.evaluate("window.ran") is None
    assert refused and "script-src" in refused[0]
    await context.close()
