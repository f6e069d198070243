"""The WhatsApp Cloud API webhook, once `X-Hub-Signature-256` holds: messages and statuses in
`entry[].changes[].value`. Parts we do not use may be anything; parts we use must fit."""
from pydantic import Field

from channels.payloads.fields import GatewayId, Note, Payload, PhoneText, Reference, Word, message_text

MAX_TEXT = 4096  # WhatsApp's own limit on a text message
MAX_REPLY_ID = 256  # a button's id (a list row's is 200): one of ours, tapped


class Body(Payload):
    body: message_text(MAX_TEXT) = ""


class Choice(Payload):
    id: message_text(MAX_REPLY_ID) | None = None


class Interactive(Payload):
    list_reply: Choice | None = None
    button_reply: Choice | None = None


class Button(Payload):
    payload: message_text(MAX_REPLY_ID) | None = None


class Message(Payload):
    sender: PhoneText = Field(alias="from")  # the wa_id: digits without a plus
    id: GatewayId
    type: Word
    text: Body | None = None
    interactive: Interactive | None = None
    button: Button | None = None

    def key(self) -> str | None:
        """What the person answered: typed text, or the id of the list row or button they tapped."""
        if self.type == "text":
            return self.text.body if self.text else ""
        if self.type == "interactive" and self.interactive:
            choice = self.interactive.list_reply or self.interactive.button_reply
            return choice.id if choice else None
        if self.type == "button" and self.button:
            return self.button.payload
        return None  # a photo, a voice note...


class Problem(Payload):
    title: Note | None = None


class Status(Payload):
    id: Reference  # the wamid of a message we sent
    status: Word
    errors: list[Problem] = []


class Value(Payload):
    messages: list[Message] = []
    statuses: list[Status] = []


class Change(Payload):
    value: Value = Value()


class Entry(Payload):
    changes: list[Change] = []


class Envelope(Payload):
    entry: list[Entry] = []

    def values(self) -> list[Value]:
        return [change.value for entry in self.entry for change in entry.changes]
