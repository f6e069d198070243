"""A feature phone in the terminal: dials the running service's USSD code and shows its SMS.

Type the digits a person would press; at the end of a session, Enter dials again.
Commands at any prompt: `sms` shows the messages this number received, `text <words>` sends
an SMS to the service's short code (e.g. `text MENU bastos`), `q` hangs up.
"""
import asyncio
import sys
import textwrap

import aiohttp

from simulators.ussd_gateway import UssdGateway

SCREEN_WIDTH = 24  # a basic phone shows about this many characters a line


def frame(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, SCREEN_WIDTH) or [""])
    bar = "+" + "-" * (SCREEN_WIDTH + 2) + "+"
    return "\n".join([bar, *(f"| {l.ljust(SCREEN_WIDTH)} |" for l in lines), bar])


class TerminalPhone:
    def __init__(self, base_url: str, number: str, service_code: str, out=print, ask=input) -> None:
        self.base_url = base_url.rstrip("/")
        self.number = number
        self.service_code = service_code
        self.out = out
        self.ask = ask
        self.seen_messages = 0

    async def run(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:

            async def post(path: str, form: dict[str, str]) -> tuple[int, str]:
                async with http.post(self.base_url + path, data=form) as response:
                    return response.status, await response.text()

            gateway = UssdGateway(post, self.service_code)
            self.out(f"Phone {self.number}: dialling {self.service_code} at {self.base_url}")
            while True:
                session = gateway.dial(self.number)
                screen = await session.open()
                while True:
                    self.out(frame(screen.text))
                    if screen.ended:
                        await session.hang_up()
                        await self.show_messages(http, only_new=True)
                        break
                    answer = await self._ask("> ")
                    if answer is None:
                        await session.hang_up()
                        return
                    screen = await session.press(answer)
                again = await self._ask("Enter to dial again, q to hang up: ")
                if again is None:
                    return

    async def _ask(self, prompt: str) -> str | None:
        """A line from the person; None when they hang up. `sms` shows the inbox and asks again."""
        while True:
            try:
                line = (await asyncio.to_thread(self.ask, prompt)).strip()
            except EOFError:
                return None
            if line.lower() in ("q", "quit", "exit"):
                return None
            if line.lower() == "sms":
                await self.show_messages(None, only_new=False)
                continue
            if line.lower().startswith("text "):
                await self.send_sms(line[5:].strip())
                continue
            return line

    async def send_sms(self, body: str) -> None:
        """Texts the short code through the simulated gateway, then shows the answer when it comes."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as client:
            async with client.post(f"{self.base_url}/sim/at/inbound", json={"from": self.number, "text": body}) as response:
                if response.status != 200:
                    self.out(f"(the gateway answered {response.status})")
                    return
        for _ in range(20):  # the reply is queued, then sent by the worker: give it a moment
            await asyncio.sleep(0.25)
            if await self.show_messages(None, only_new=True):
                return
        self.out("(no reply yet: `sms` shows the inbox)")

    async def show_messages(self, http: aiohttp.ClientSession | None, *, only_new: bool) -> int:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as client:
            async with client.get(f"{self.base_url}/sim/messages", params={"to": self.number}) as response:
                if response.status != 200:
                    self.out(f"(no inbox: the service answered {response.status})")
                    return 0
                messages = await response.json()
        shown = messages[self.seen_messages:] if only_new else messages
        self.seen_messages = len(messages)
        for message in shown:
            self.out(f"[{message['channel'].upper()} {message['status']}] {message['text']}")
        if not shown and not only_new:
            self.out("(no messages)")
        return len(shown)


def main(number: str, base_url: str, service_code: str) -> None:
    try:
        asyncio.run(TerminalPhone(base_url, number, service_code).run())
    except aiohttp.ClientConnectorError:
        sys.exit(f"cannot reach {base_url}: is `./run serve` running?")
