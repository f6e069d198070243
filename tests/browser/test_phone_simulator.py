"""The web phone simulator in a real browser (Debian's Chromium driven by Playwright): a customer
dials the demo code and walks to a restaurant's dishes, texts MENU and reads the reply, answers
a mobile-money prompt; three phones side by side on a laptop, stacked on a phone's screen."""
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from channels.keys import DATABASE, SIM_PAYMENTS
from channels.payments.jobs import PaymentJobs
from chopbar.providers import payment_router
from tests.channels.test_payments_over_http import MTN_CUSTOMER, order_state, settle, ussd_order
from tests.browser.conftest import SCREENSHOTS
from tests.ussd import number_of

CHROMIUM = "/usr/bin/chromium"  # Debian's (`apt-get install chromium`; .ci/run installs it where missing)
SCREENSHOT = SCREENSHOTS / "phone.png"
LAPTOP = {"width": 1440, "height": 1000}
CODE = "*384*2468#"


@pytest.fixture
async def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        await launched.close()


async def open_phones(browser, chopbar, viewport=LAPTOP, **query) -> Page:
    page = await browser.new_page(viewport=viewport)
    failures = []
    page.on("pageerror", lambda error: failures.append(error))
    page.failures = failures
    await page.goto(str(chopbar.make_url("/sim/phone").with_query({"lang": "en", **query})))
    return page


async def answer(page: Page, role: str, typed: str) -> str:
    """Types into the phone's entry and presses its green button; returns the screen shown after."""
    phone = page.locator(f"#phone-{role}")
    before = await phone.locator(".screen-text").text_content()
    await phone.get_by_label("Dial or answer").fill(typed)
    await phone.locator("button.call").click()
    await expect(phone.locator(".screen-state")).not_to_have_text("Waiting for the network...")
    await expect(phone.locator(".screen-text")).not_to_have_text(before or "\x00")
    return await phone.locator(".screen-text").text_content()


async def choose(page: Page, role: str, label: str) -> str:
    """Presses the number of the screen's line showing `label`, paging with 98 until it shows."""
    screen = await page.locator(f"#phone-{role} .screen-text").text_content()
    for _ in range(10):
        number = number_of(screen, label)
        if number is not None:
            return await answer(page, role, number)
        assert "98 " in screen, f"{label!r} is not on the screen:\n{screen}"
        screen = await answer(page, role, "98")
    raise AssertionError(f"{label!r} never showed")


async def test_a_customer_dials_walks_to_a_menu_and_reads_the_reply_to_menu_by_sms(browser, chopbar):
    page = await open_phones(browser, chopbar)
    customer = page.locator("#phone-customer")
    number = customer.get_by_label("Phone number")
    await expect(number).to_have_value(re.compile(r"^\+237\d{9}$"))  # the first demo customer, from /sim/actors
    await number.fill("677000002")  # Ngozi, who reads English, typed as a Cameroonian would
    await number.press("Tab")
    await expect(number).to_have_value("+237677000002")
    await expect(page.locator("#restaurant-people option")).not_to_have_count(0)

    await expect(customer.get_by_label("Dial or answer")).to_have_value(CODE)
    await customer.locator("button.call").click()
    await expect(customer.locator(".screen-text")).to_contain_text("Chopbar: what would you like?")
    await expect(customer.locator(".screen-state")).to_have_text("Reply expected")
    await choose(page, "customer", "Order food")
    await choose(page, "customer", "Yaounde")
    shown = await choose(page, "customer", "Chez Maman Ngo")
    if number_of(shown, "Plates"):
        shown = await choose(page, "customer", "Plates")
    assert "Poulet DG" in shown or "98 More" in shown, shown
    await expect(customer.locator(".screen-state")).to_have_text("Reply expected")

    await customer.get_by_label("Message", exact=True).fill("MENU bastos")
    await customer.get_by_role("button", name="Send message").click()
    await expect(customer.locator(".inbox li.mine")).to_contain_text("MENU bastos")
    reply = customer.locator(".inbox li:not(.mine)").last
    await expect(reply).to_contain_text("Maman Ngo", timeout=10_000)  # polled from /sim/messages
    await expect(reply).to_contain_text("SMS")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    await customer.locator("button.hang-up").click()
    await expect(customer.locator(".screen-state")).to_have_text("Session ended")
    await expect(customer.locator(".screen-text")).to_have_text("")
    assert page.failures == []


async def test_the_customer_approves_the_mobile_money_prompt_on_the_phone(browser, chopbar, settings):
    code = await ussd_order(chopbar, MTN_CUSTOMER, "MTN Mobile Money")
    jobs = PaymentJobs(chopbar.app[DATABASE], payment_router(settings))
    try:
        await settle(jobs, chopbar.app[SIM_PAYMENTS])  # the worker asks MTN for the prompt
        page = await open_phones(browser, chopbar, customer=MTN_CUSTOMER)
        prompt = page.locator("#phone-customer .prompt")
        await expect(prompt).to_be_visible()
        await expect(prompt).to_contain_text(re.compile(r"MTN MoMo: pay \d{1,3}(,\d{3})* XAF to Chopbar\?"))
        await prompt.get_by_role("button", name="Approve").click()
        await expect(prompt).to_contain_text("Payment approved.")
        asked = await (await chopbar.get("/sim/payments", params={"phone": MTN_CUSTOMER})).json()
        assert asked[0]["status"] == "successful"
        await settle(jobs, chopbar.app[SIM_PAYMENTS])
        order, payment = await order_state(chopbar, code)
        assert (order.status, payment.status) == ("PENDING_RESTAURANT", "SUCCEEDED")
        await expect(prompt).to_be_hidden()  # nothing left to answer
        assert page.failures == []
    finally:
        await jobs.router.close()


async def test_the_customer_taps_a_whatsapp_choice_and_gets_the_next_screen(browser, chopbar):
    page = await open_phones(browser, chopbar, customer=MTN_CUSTOMER)
    customer = page.locator("#phone-customer")
    await customer.get_by_label("WhatsApp").check()
    await customer.get_by_label("Message", exact=True).fill("hi")
    await customer.get_by_role("button", name="Send message").click()
    menu = customer.locator(".inbox li:not(.mine)").last
    await expect(menu).to_contain_text("what would you like?", timeout=10_000)
    await menu.get_by_role("button", name="Order food").click()
    await expect(customer.locator(".inbox li.mine").last).to_contain_text("Order food")
    await expect(customer.locator(".inbox li:not(.mine)").last).to_contain_text("Yaounde", timeout=10_000)
    assert page.failures == []


async def test_the_empty_phones_get_a_customer_and_a_restaurant_and_driver_of_that_city(browser, chopbar):
    page = await open_phones(browser, chopbar)
    people = {p["phone"]: p for p in await (await chopbar.get("/sim/actors")).json()}
    chosen = {}
    for role in ("customer", "restaurant", "driver"):
        await expect(page.locator(f"#{role}-number")).to_have_value(re.compile(r"^\+237"))
        chosen[role] = people[await page.locator(f"#{role}-number").input_value()]
        assert chosen[role]["role"] == role
    assert chosen["customer"]["city"] and chosen["restaurant"]["city"] == chosen["driver"]["city"] == chosen["customer"]["city"]


async def test_three_phones_side_by_side_on_a_laptop_and_stacked_on_a_phone(browser, chopbar):
    wide = await open_phones(browser, chopbar)
    boxes = [await wide.locator(f"#phone-{role}").bounding_box() for role in ("customer", "restaurant", "driver")]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"] and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    narrow = await open_phones(browser, chopbar, viewport={"width": 390, "height": 844})
    boxes = [await narrow.locator(f"#phone-{role}").bounding_box() for role in ("customer", "restaurant", "driver")]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
    unlabelled = await narrow.evaluate(
        """() => [...document.querySelectorAll('input, textarea, select, button')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
              .map(e => e.outerHTML)"""
    )
    assert unlabelled == []


async def test_the_switch_shows_the_page_in_french_keeping_the_numbers(browser, chopbar):
    page = await open_phones(browser, chopbar, driver="+237670000011")
    await expect(page.locator("#customer-number")).to_have_value(re.compile(r"^\+237"))
    await page.get_by_role("link", name="Français").click()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.locator("#phone-driver h2")).to_have_text("Livreur")
    await expect(page.locator("#driver-number")).to_have_value("+237670000011")
    await expect(page.get_by_role("link", name="English")).to_be_visible()
