"""Driving USSD dialogs in tests the way a person reads a screen: find the line, press its number."""
import re

from simulators.ussd_gateway import UssdGateway, UssdSession

LINE = re.compile(r"^(\d+) (.*)$")


def entries(text: str) -> dict[str, str]:
    """{number: label} of the numbered lines on a screen (navigation lines excluded)."""
    found = {}
    for line in text.split("\n"):
        match = LINE.match(line)
        if match and match.group(1) not in ("0", "98", "00"):
            found[match.group(1)] = match.group(2)
    return found


def number_of(text: str, label: str) -> str | None:
    for number, shown in entries(text).items():
        if label.lower() in shown.lower():
            return number
    return None


async def pick(session: UssdSession, label: str, *, max_pages: int = 12) -> str:
    """Presses the number of the line that shows `label`, paging with 98 until it appears."""
    for _ in range(max_pages):
        number = number_of(session.last.text, label)
        if number is not None:
            return (await session.press(number)).text
        if "98 " not in session.last.text:
            break
        await session.press("98")
    raise AssertionError(f"{label!r} is not on the screen:\n{session.last.text}")


def gateway_for(client, service_code: str = "*384*2468#") -> UssdGateway:
    async def post(path: str, form: dict[str, str]) -> tuple[int, str]:
        response = await client.post(path, data=form)
        return response.status, await response.text()

    return UssdGateway(post, service_code)
