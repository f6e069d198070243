"""Twilio's form posts, once `X-Twilio-Signature` holds: an inbound SMS or WhatsApp message, a
status callback."""
from pydantic import Field

from channels.payloads.fields import GatewayId, Note, Payload, PhoneText, Word, message_text

MAX_BODY = 1600  # Twilio's own limit on a message body
MAX_BUTTON = 256  # a quick-reply payload: one of our own button ids


class TwilioMessage(Payload):
    sid: GatewayId = Field(alias="MessageSid")
    sender: PhoneText = Field(alias="From")  # "whatsapp:+237..." on WhatsApp
    body: message_text(MAX_BODY) = Field("", alias="Body")
    button: message_text(MAX_BUTTON) | None = Field(None, alias="ButtonPayload")


class TwilioStatus(Payload):
    sid: GatewayId = Field(alias="MessageSid")
    status: Word = Field(alias="MessageStatus")
    error_code: Note | None = Field(None, alias="ErrorCode")
