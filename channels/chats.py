"""One chat message in, one answer out: a WhatsApp message (Meta, or Twilio's WhatsApp) is the
dialog's next key. Every chat gateway's inbound handler ends here, as every SMS ends in
`channels.sms.conversation`.

A chat counts against its number's text limit with its SMS (channels.number_limits); while
Redis or the database is away, the message is kept and answered once they are back.
"""
import json
from dataclasses import dataclass

from channels.dialogs.engine import Dialogs
from channels.number_limits import NumberLimits
from channels.outages import which
from channels.sms import ratings
from core import outbox
from core.accounts import find_account
from core.db import Database, Unit
from core.dedupe import first_time
from menus import refusals
from menus.render import text as text_render
from menus.keywords import parse
from menus.render import whatsapp as whatsapp_render
from menus.screen import View
from core.use_cases.rating import DEFAULT_WINDOW_S

# How each chat channel's answer is written: Meta takes interactive lists and buttons as JSON,
# Twilio's WhatsApp numbered text.
RENDERERS = {
    "whatsapp": lambda view: json.dumps(whatsapp_render.render(view), ensure_ascii=False),
    "whatsapp-text": text_render.render,
}


def _reply_channel(channel: str, inline: bool) -> str:
    """Where the answer goes: Meta's chats through Meta; Twilio's WhatsApp inside Twilio's own
    answer, or, answered later (kept through an outage), by SMS, its numbered text being SMS
    text: the outbox's WhatsApp sender is Meta's, which does not carry Twilio's conversations."""
    return "whatsapp" if channel == "whatsapp" or inline else "sms"


@dataclass(frozen=True)
class ChatReply:
    text: str  # as the gateway carries it: Meta's message JSON, or plain text


class ChatConversations:
    def __init__(
        self, db: Database, dialogs: Dialogs, *, limits: NumberLimits | None = None, keeper=None,
        default_language: str = "fr", rating_window_s: int = DEFAULT_WINDOW_S,
    ) -> None:
        self.db = db
        self.rating_window_s = rating_window_s  # CHOPBAR_RATING_WINDOW
        self.dialogs = dialogs
        self.limits = limits
        self.keeper = keeper  # channels.inbound_keeper.InboundKeeper: where messages wait out an outage
        self.default_language = default_language

    async def handle(
        self, provider: str, message_id: str, channel: str, phone: str, key: str, *, inline: bool = False,
        keep: bool = True,
    ) -> ChatReply | None:
        """Answers a chat message once per gateway id; None when the id was seen before, when
        the number is over its limit, or when Redis or the database is away (the message is
        then kept and answered later; `keep=False` raises the outage instead).

        The answer is queued in the outbox (`inline`: recorded as already sent, the gateway
        carrying it back in its own answer, as Twilio's TwiML does), in the transaction that
        records the gateway id: a message is answered exactly when it is marked seen.
        """
        try:
            return await self._answer_once(provider, message_id, channel, phone, key, inline)
        except Exception as exc:
            if not keep or self.keeper is None or which(exc) is None:
                raise
            await self.keeper.keep(provider, message_id, channel, phone, key, exc)
            return None

    async def _answer_once(self, provider: str, message_id: str, channel: str, phone: str, key: str, inline: bool) -> ChatReply | None:
        catalog = await self.dialogs.catalog.get()  # before the unit: a reload opens one of its own
        async with self.db.unit() as unit:
            if not await first_time(unit, provider, message_id):
                return None
            view, kind = await self._limited(unit, phone), "limit.wait"
            if view is None:
                view, kind = await self._rated(unit, catalog, channel, phone, key), "customer.reply"
            if view is None:
                view = (await self.dialogs.chat(channel, phone, key, message_id=message_id, unit=unit, catalog=catalog)).view
                kind = "dialog.reply"
            elif not view.title:
                return None  # over the limit and already told: recorded as seen, no answer
            answer = RENDERERS[channel](view)
            await outbox.enqueue(
                unit, phone, answer, kind=kind, channel=_reply_channel(channel, inline), inline_via=provider if inline else None
            )
        return ChatReply(answer)

    async def _rated(self, unit: Unit, catalog, channel: str, phone: str, text: str) -> View | None:
        """A rating answer (channels.sms.ratings): with the keyword (`NOTE 4`) at any time, as
        bare stars (`5`, `4 3 cold food`) only while no dialog is under way, whose keys they would be."""
        command = parse(text, "customer")
        keyword = command is not None and command.name == "rate"
        if not keyword and await self.dialogs.store.get(f"chat:{channel}:{phone}") is not None:
            return None
        account = await find_account(unit, phone)
        if account is None:
            return None
        said = await ratings.answer(
            unit, account_id=account.id, restaurant_name=lambda rid: catalog.restaurant(rid).name,
            command=command if keyword else None, text=text, language=account.language, channel="whatsapp",
            window_s=self.rating_window_s, any_text=False,
        )
        return View(screen="rated", title=said, end=True, back=False, language=account.language) if said else None

    async def _limited(self, unit: Unit, phone: str) -> View | None:
        """None within the limit; over it, the one answer saying to wait, then an empty one."""
        if self.limits is None:
            return None
        verdict = await self.limits.text(phone)
        if verdict.allowed:
            return None
        if not verdict.warn:
            return View(screen="refused", title="")
        account = await find_account(unit, phone)
        minutes = max(-(-verdict.retry_after_s // 60), 1)
        return refusals.view(refusals.TOO_MANY_TEXTS, account.language if account else self.default_language, minutes=minutes)
