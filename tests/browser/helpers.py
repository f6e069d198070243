"""What the browser tests do as a person would: sign in with the SMS code, read a phone's SMS."""
import asyncio
import re


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
