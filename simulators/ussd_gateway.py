"""An Africa's Talking USSD gateway: turns a person's key presses into the gateway's form posts.

Like the real gateway it sends the whole path in `text` (keys joined with `*`) on every hop,
a fresh `sessionId` per dial, and ends the session on `END `, on an HTTP error or on a body
that starts with neither `CON ` nor `END `.
"""
import uuid
from datetime import datetime, timezone
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Post = Callable[[str, dict[str, str]], Awaitable[tuple[int, str]]]
PATH = "/ussd/africastalking"
EVENTS_PATH = "/ussd/africastalking/events"
NETWORK_CODES = {"mtn": "62401", "orange": "62402"}


@dataclass
class Screen:
    text: str  # what the phone shows, without CON/END
    ended: bool
    status: int
    raw: str


@dataclass
class UssdSession:
    gateway: "UssdGateway"
    phone: str
    service_code: str
    session_id: str = field(default_factory=lambda: "ATUid_" + uuid.uuid4().hex)
    keys: list[str] = field(default_factory=list)
    last: Screen | None = None

    @property
    def text(self) -> str:
        return "*".join(self.keys)

    async def open(self) -> Screen:
        return await self._hop()

    async def press(self, key: str) -> Screen:
        if self.last is not None and self.last.ended:
            raise RuntimeError("the session has ended; dial again")
        self.keys.append(key)
        return await self._hop()

    async def replay(self) -> Screen:
        """The gateway sends the same hop again (a retry after a slow answer)."""
        return await self._hop()

    async def hang_up(self, status: str = "Success") -> int:
        """The session is over (an END screen, or the person hung up or timed out): the gateway
        posts its end-of-session notice, as the real one does to its events URL."""
        form = {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "sessionId": self.session_id,
            "serviceCode": self.service_code,
            "networkCode": self.gateway.network_code(self.phone),
            "phoneNumber": self.phone,
            "status": status,
            "cost": "XAF 0.00",
            "durationInMillis": "0",
            "hopsCount": str(len(self.keys) + 1),
            "input": self.text,
            "lastAppResponse": self.last.raw if self.last else "",
            "errorMessage": "",
        }
        status_code, _ = await self.gateway.post(EVENTS_PATH, form)
        return status_code

    async def _hop(self) -> Screen:
        form = {
            "sessionId": self.session_id,
            "serviceCode": self.service_code,
            "phoneNumber": self.phone,
            "networkCode": self.gateway.network_code(self.phone),
            "text": self.text,
        }
        status, body = await self.gateway.post(PATH, form)
        if status != 200 or not body.startswith(("CON ", "END ")):
            screen = Screen(text="Connection problem or invalid MMI code.", ended=True, status=status, raw=body)
        else:
            screen = Screen(text=body[4:], ended=body.startswith("END "), status=status, raw=body)
        self.last = screen
        return screen


class UssdGateway:
    def __init__(self, post: Post, service_code: str = "*384*2468#") -> None:
        self.post = post
        self.service_code = service_code

    def network_code(self, phone: str) -> str:
        """MCC+MNC by the number's prefix, as the operator's network would report it."""
        national = phone.removeprefix("+237")
        mtn = national[:2] in ("67",) or national[:3] in ("650", "651", "652", "653", "654", "680", "681", "682", "683")
        return NETWORK_CODES["mtn" if mtn else "orange"]

    def dial(self, phone: str) -> UssdSession:
        return UssdSession(self, phone, self.service_code)

    async def run(self, phone: str, keys: str | list[str]) -> UssdSession:
        """Dials and presses keys ('1*2*3' or a list), one hop each, as a person would."""
        session = self.dial(phone)
        await session.open()
        for key in keys.split("*") if isinstance(keys, str) and keys else list(keys or []):
            await session.press(key)
        return session
