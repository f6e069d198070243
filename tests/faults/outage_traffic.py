"""Mixed traffic for the outage tests, every answer checked as it comes: USSD screens valid, texts
accepted, REST never a 500 (a 503 in the JSON error shape, with Retry-After), and what the
service still owes (replies to texts and chats) looked up once the outage is over."""
import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field

from sqlalchemy import func, select

from core.models import InboundMessage, OutboxMessage
from tests.ussd import gateway_for
from core.sealing import blind

USSD_MAX = 160
_ids = itertools.count(1)


@dataclass
class Traffic:
    client: object  # the aiohttp test client of the service
    token: str | None = None  # a signed-in customer's access token, for authenticated calls
    problems: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # AT message id -> the number that sent it
    chats: dict[str, str] = field(default_factory=dict)  # Meta message id -> the number that sent it
    statuses: list[int] = field(default_factory=list)

    def _saw(self, what: str, status: int, ok: bool, detail: str = "") -> None:
        self.statuses.append(status)
        if not ok:
            self.problems.append(f"{what}: {status} {detail[:200]!r}")

    async def dial(self, phone: str, *keys: str):
        """A USSD session: dial, then press each key while the screens last."""
        session = gateway_for(self.client).dial(phone)
        await self._hop(session.open())
        for key in keys:
            if session.last.ended:
                break
            await self._hop(session.press(key))
        return session

    async def _hop(self, hop) -> None:
        screen = await hop
        ok = screen.status == 200 and screen.raw.startswith(("CON ", "END ")) and len(screen.raw) <= USSD_MAX
        self._saw("ussd", screen.status, ok, screen.raw)

    async def text(self, phone: str, body: str) -> str:
        message_id = f"ATXid_outage{next(_ids)}_{time.time_ns()}"
        response = await self.client.post("/sms/africastalking", data={
            "from": phone, "to": "2468", "text": body, "date": "2026-11-24 11:30:00", "id": message_id, "linkId": "x",
        })
        self._saw("sms", response.status, response.status == 200, await response.text())
        self.texts[message_id] = phone
        return message_id

    async def chat(self, phone: str, text: str) -> None:
        response = await self.client.post("/sim/meta/inbound", json={"from": phone, "text": text})
        body = await response.json()
        self._saw("whatsapp", body.get("forwarded", response.status), body.get("forwarded") == 200, json.dumps(body))
        self.chats[body["id"]] = phone

    async def twilio(self, phone: str, body: str, *, whatsapp: bool = False) -> str:
        """A text or chat through Twilio, whose answer rides back in the TwiML when there is one."""
        response = await self.client.post("/sim/twilio/inbound", json={"from": phone, "body": body, "whatsapp": whatsapp})
        answer = await response.json()
        self._saw("twilio", answer.get("status", response.status), answer.get("status") == 200, json.dumps(answer))
        return answer.get("twiml", "")

    async def rest(self, path: str, *, signed_in: bool = False) -> int:
        headers = {"Authorization": f"Bearer {self.token}"} if signed_in and self.token else {}
        response = await self.client.get(path, headers=headers)
        body = await response.text()
        ok = response.status < 500
        if response.status == 503:
            try:
                error = json.loads(body)["error"]
                ok = error["code"] == "unavailable" and bool(error["message"]) and int(response.headers["Retry-After"]) > 0
            except (ValueError, KeyError, TypeError):
                ok = False
        self._saw(f"GET {path}", response.status, ok, body)
        return response.status

    async def round(self, numbers: list[str], chat_number: str | None = None) -> None:
        """One of each, at once: USSD sessions, texts, REST reads and signed-in calls, a chat."""
        calls = [self.dial(n, "1", "1") for n in numbers]
        calls += [self.text(n, body) for n in numbers for body in ("MENU", "AIDE")]
        calls += [self.rest("/api/v1/restaurants?city=Yaounde"), self.rest("/api/v1/orders", signed_in=True)]
        if chat_number:
            calls.append(self.chat(chat_number, "Bonjour"))
        await asyncio.gather(*calls)


async def replies_owed(db, traffic: Traffic) -> dict[str, int]:
    """Per text and chat sent, how many answers the outbox holds (1 each when all is well)."""
    async with db.unit() as unit:
        keys = list(await unit.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("reply:%"))))
        ids = [key.rsplit(":", 1)[1] for key in keys]  # reply:<provider>:<gateway id>
        counts = {i: ids.count(i) for i in traffic.texts}
        for message_id, phone in traffic.chats.items():
            counts[message_id] = await unit.session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_phone_key == blind(phone), OutboxMessage.channel == "whatsapp")
            )
        return counts


async def kept(db) -> int:
    """Messages kept through an outage so far, answered or not."""
    async with db.unit() as unit:
        return await unit.session.scalar(select(func.count()).select_from(InboundMessage))


async def still_kept(db) -> int:
    async with db.unit() as unit:
        return await unit.session.scalar(select(func.count()).select_from(InboundMessage).where(InboundMessage.handled_at.is_(None)))


async def eventually(check, *, within_s: float = 30.0, every_s: float = 0.25):
    """Polls `check()` until it returns something true; returns its last answer."""
    deadline = time.monotonic() + within_s
    while True:
        answer = await check()
        if answer or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(every_s)
