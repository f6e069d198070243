"""The menu editor and the sales page in a real browser, under the service's own
Content-Security-Policy: a change made in the editor shows on the next USSD dial (saved by htmx
as the field changes, and by the plain form with scripts off); the sales page's figures and
charts show the orders the test made; a screenshot of the sales page for the README."""
import asyncio
import re

from core.formatting import money
from tests import demo
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import messages_to, sign_in
from tests.channels.test_api_auth import bearer
from tests.channels.test_api_ordering import menu_item, order_body
from tests.ussd import gateway_for, number_of, pick

OWNER, STAFF = demo.ALL_DAY_YAOUNDE.phone, demo.ALL_DAY_YAOUNDE.backup_phone
CUSTOMER = demo.CUSTOMER_EN.phone


async def api_tokens(http, phone: str) -> dict:
    before = len(await messages_to(http, phone))
    assert (await http.post("/api/v1/auth/otp", json={"phone": phone})).status == 202
    for _ in range(100):
        texts = await messages_to(http, phone)
        if len(texts) > before:
            break
        await asyncio.sleep(0.1)
    code = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    return await (await http.post("/api/v1/auth/token", json={"phone": phone, "code": code})).json()


def policy_refusals(page) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    return refused


async def ussd_dishes(http, category: str) -> str:
    """Every page of the category's dishes as the English customer's next dial shows them."""
    session = gateway_for(http).dial(CUSTOMER)
    await session.open()
    for label in ("Order food", "Yaounde", "Chez Maman Ngo", category):
        await pick(session, label)
    screens = [session.last.text]
    while "98 " in session.last.text:
        screens.append((await session.press("98")).text)
    return "\n".join(screens)


async def test_a_menu_change_in_the_editor_shows_on_the_next_ussd_dial(service, http, browser):
    restaurant_id, _ = await menu_item(http)
    owner = await api_tokens(http, OWNER)
    editable = await (await http.get(f"/api/v1/restaurants/{restaurant_id}/menu/editable", headers=bearer(owner))).json()
    category = next(c for c in editable["categories"] if sum(d["available"] for d in c["dishes"]) >= 2)
    first, second = [d for d in category["dishes"] if d["available"]][:2]
    context = await browser.new_context()
    page = await context.new_page()
    refused = policy_refusals(page)
    await sign_in(page, http, service, OWNER)
    await page.goto(f"{service}/console/restaurants/{restaurant_id}/menu")
    await page.wait_for_function("window.htmx !== undefined")
    await page.fill(f"#d{first['id']}-en", "Chef special plate")
    await page.press(f"#d{first['id']}-en", "Tab")  # the change event: htmx saves the dish
    await page.locator(f"#d{first['id']}-en[value='Chef special plate']").wait_for()
    await page.fill(f"#d{first['id']}-price", "4100")
    await page.press(f"#d{first['id']}-price", "Tab")
    await page.locator(f"#d{first['id']}-price[value='4100']").wait_for()
    assert await page.locator("#menu .notice").count() == 1
    shown = await ussd_dishes(http, category["name_en"])
    assert number_of(shown, "Chef special plate 4,100") is not None, shown
    assert refused == []
    await context.close()

    plain = await browser.new_context(java_script_enabled=False)
    page = await plain.new_page()
    await sign_in(page, http, service, OWNER)
    await page.goto(f"{service}/console/restaurants/{restaurant_id}/menu")
    await page.uncheck(f"#d{second['id']}-available")
    await page.locator(f"#dish-{second['id']} > form.row button").click()
    await page.wait_for_url(f"{service}/console/restaurants/{restaurant_id}/menu")
    assert await page.locator(f"#dish-{second['id']}.sold-out").count() == 1
    shown = await ussd_dishes(http, category["name_en"])
    assert f"{second['name_en']} (sold out)" in shown, shown
    await plain.close()


async def _served_and_waiting(http) -> tuple[int, int, int]:
    """Three cash orders of known amounts reach the restaurant; the staff accept two. Their food
    (the takings) and the third's, left waiting."""
    restaurant_id, item_id = await menu_item(http)
    customer = await api_tokens(http, CUSTOMER)
    staff = await api_tokens(http, STAFF)
    foods = []
    for n, quantity in enumerate((3, 1, 2)):
        body = order_body(restaurant_id, item_id)
        body["lines"][0]["quantity"] = quantity
        placed = await http.post("/api/v1/orders", json=body, headers={**bearer(customer), "Idempotency-Key": f"sales-{n}"})
        assert placed.status == 201, await placed.text()
        order = await placed.json()
        foods.append(order["subtotal_xaf"])
        if n < 2:
            accepted = await http.post(f"/api/v1/orders/{order['code']}/accept", json={"minutes": 15}, headers=bearer(staff))
            assert accepted.status == 200, await accepted.text()
    return restaurant_id, foods[0] + foods[1], foods[0]


async def test_the_sales_page_shows_the_figures_the_orders_made(service, http, browser):
    restaurant_id, takings, biggest = await _served_and_waiting(http)
    context = await browser.new_context(viewport={"width": 720, "height": 900})
    page = await context.new_page()
    refused = policy_refusals(page)
    await sign_in(page, http, service, OWNER)
    await page.goto(f"{service}/console/restaurants/{restaurant_id}/sales?period=7d")
    lang = await page.get_attribute("html", "lang")
    assert (await page.text_content("#orders"), await page.text_content("#served")) == ("3", "2")
    assert await page.text_content("#takings") == money(takings, lang)
    assert await page.text_content("#basket") == money((takings + 1) // 2, lang)
    by_day = await page.text_content("#chart-days svg")
    assert money(takings, lang) in by_day  # today's bar carries its takings
    by_method = await page.text_content("#chart-methods svg")
    assert money(takings, lang) in by_method and ("Espèces" if lang == "fr" else "Cash") in by_method
    assert "3" in await page.locator("#chart-hours svg text.value").all_text_contents()
    assert await page.locator("#chart-days svg rect.reactive").count() == 1  # one day with takings of seven
    first_dish = page.locator("#best tbody tr").first
    assert (await first_dish.locator("td").first.text_content()) == "4"  # 3 + 1 served, the waiting 2 not
    assert money(biggest, lang) not in (await page.text_content("#takings"))
    assert refused == []  # the charts' SVG carries no style or script the policy would refuse
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "sales.png"), full_page=True)
    download = page.locator(f"a[href='/console/restaurants/{restaurant_id}/sales.csv?period=7d']")
    async with page.expect_download() as waiting:
        await download.click()
    saved = await (await waiting.value).path()
    assert f"takings_xaf,,{takings}" in open(saved, encoding="utf-8").read().splitlines()
    await context.close()
