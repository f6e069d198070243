"""Every console page passes axe-core (form labels, colour contrast, and anything serious or
critical), in both languages. A new page is one line in PAGES."""
import pytest

from tests import demo
from tests.browser.conftest import accessibility_problems
from tests.browser.helpers import sign_in
from tests.channels.test_api_ordering import menu_item
from tests.console.helpers import cash_pickup_by_ussd

# Paths, signed in as the owner of Chez Maman Ngo ({restaurant} is its id), with an order waiting.
PAGES = (
    "/console/restaurants/{restaurant}",
    "/console/restaurants/{restaurant}/menu",
    "/console/restaurants/{restaurant}/hours",
    "/console/restaurants/{restaurant}/sales?period=7d",
    "/console/restaurants/{restaurant}/promotions",
    "/console/restaurants/{restaurant}/ratings",
    "/console/restaurants/999999",  # the refusal page
)


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_every_console_page_passes_axe(service, http, browser, language):
    restaurant_id, _ = await menu_item(http)
    await cash_pickup_by_ussd(http, demo.CUSTOMER_EN.phone)
    context = await browser.new_context(bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{service}/console/")
    if language == "en":
        await page.click("form[action='/console/language'] button")
    problems = {"/console/": await accessibility_problems(page)}
    await sign_in(page, http, service, demo.ALL_DAY_YAOUNDE.phone)
    if await page.get_attribute("html", "lang") != language:  # signing in takes the account's language
        await page.click("form[action='/console/language'] button")
    assert await page.get_attribute("html", "lang") == language
    for path in PAGES:
        await page.goto(service + path.format(restaurant=restaurant_id))
        problems[path] = await accessibility_problems(page)
    assert {p: v for p, v in problems.items() if v} == {}
    await context.close()
