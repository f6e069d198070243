"""One chat message in, one answer out: a WhatsApp message (Meta, or Twilio's WhatsApp) is the
dialog's next key. Every chat gateway's inbound handler ends here, as every SMS ends in
`channels.sms.conversation`.
"""
import json
from dataclasses import dataclass

from channels.dialogs.engine import Dialogs
from core import outbox
from core.db import Database
from core.dedupe import first_time
from menus.render import text as text_render
from menus.render import whatsapp as whatsapp_render

# How each chat channel's answer is written: Meta takes interactive lists and buttons as JSON,
# Twilio's WhatsApp numbered text.
RENDERERS = {
    "whatsapp": lambda view: json.dumps(whatsapp_render.render(view), ensure_ascii=False),
    "whatsapp-text": text_render.render,
}


@dataclass(frozen=True)
class ChatReply:
    text: str  # as the gateway carries it: Meta's message JSON, or plain text


class ChatConversations:
    def __init__(self, db: Database, dialogs: Dialogs) -> None:
        self.db = db
        self.dialogs = dialogs

    async def handle(
        self, provider: str, message_id: str, channel: str, phone: str, key: str, *, inline: bool = False
    ) -> ChatReply | None:
        """Answers a chat message once per gateway id; None when the id was seen before.

        The answer is queued in the outbox (`inline`: recorded as already sent, the gateway
        carrying it back in its own answer, as Twilio's TwiML does).
        """
        async with self.db.unit() as unit:
            if not await first_time(unit, provider, message_id):
                return None
        view = await self.dialogs.chat(channel, phone, key)
        answer = RENDERERS[channel](view)
        async with self.db.unit() as unit:
            await outbox.enqueue(
                unit, phone, answer, kind="dialog.reply", channel="whatsapp", inline_via=provider if inline else None
            )
        return ChatReply(answer)
