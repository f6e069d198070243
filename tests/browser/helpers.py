"""What the browser tests do as a person would: sign in with the SMS code, read a phone's SMS."""
import asyncio
import re
import time

from chopbar.demo_data import DEMO_TOTP_SECRET
from core.second_factor import code_at


async def messages_to(http, phone: str) -> list[str]:
    return [m["text"] for m in await (await http.get("/sim/messages", params={"to": phone})).json()]


async def sign_in(page, http, base: str, phone: str) -> None:
    """The sign-in page, the code read from the phone's SMS, the code page: lands where it leads."""
    await page.goto(f"{base}/console/")
    before = len(await messages_to(http, phone))
    await page.fill("#phone", phone)
    await page.click("form[action='/console/sign-in'] button")
    await page.wait_for_url(re.compile(r"/console/code"))
    for _ in range(50):
        texts = await messages_to(http, phone)
        if len(texts) > before:
            break
        await asyncio.sleep(0.1)
    code = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    await page.fill("#code", code)
    await page.click("form[action='/console/code'] button")
    await page.wait_for_load_state()
    if "/console/second-factor" in page.url:
        await second_factor(page)


async def second_factor(page) -> None:
    """A support or admin account's second step: enrols first when asked (the secret read from
    the page), then types the code of the step before, of now, or of the step after (the service
    runs on the real clock; each step's code is accepted once)."""
    secret = DEMO_TOTP_SECRET
    if await page.locator("form[action='/console/second-factor/enrolment']").count():
        await page.click("form[action='/console/second-factor/enrolment'] button")
        await page.wait_for_load_state()
    action = "/console/second-factor"
    if await page.locator("#secret").count():
        secret = (await page.inner_text("#secret")).replace(" ", "")
        action += "/enrolment/confirm"
    for drift in (-30, 0, 30):
        await page.fill("#code", code_at(secret, time.time() + drift))
        await page.click(f"form[action='{action}'] button")
        await page.wait_for_load_state()
        if "/console/second-factor" not in page.url:
            return
    raise AssertionError(f"no code of the second factor was accepted at {page.url}")


async def wait_for_text(http, phone: str, needle: str, *, after: int, timeout_s: float = 10) -> str:
    """The first SMS to `phone` past the first `after` that holds `needle`."""
    for _ in range(int(timeout_s * 10)):
        found = [t for t in (await messages_to(http, phone))[after:] if needle in t]
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no SMS to {phone} with {needle!r}: {(await messages_to(http, phone))[after:]}")


def policy_refusals(page) -> list[str]:
    """Every console message in which the browser says the page's Content-Security-Policy refused
    something (an inline script or style, a file from elsewhere): a page that works has none."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    return refused
