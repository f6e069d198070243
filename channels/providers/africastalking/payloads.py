"""Africa's Talking's form posts: a USSD hop, the end-of-session notice, an inbound SMS, a
delivery report. AT signs nothing, so whatever does not fit is refused with a 400."""
from typing import Annotated

from pydantic import BeforeValidator, Field

from channels.payloads.fields import GatewayId, Note, Payload, PhoneText, Word, message_text

USSD_MAX_TEXT = 500  # a person types a few dozen keys in a session; more is not a phone
SMS_MAX_TEXT = 1600  # ten concatenated parts, the most a phone sends as one message
LOGGED_CHARS = 200  # an end-of-session field as it goes into a log line


class UssdHop(Payload):
    sessionId: GatewayId
    phoneNumber: PhoneText
    text: message_text(USSD_MAX_TEXT)  # the whole path, every hop


def _logged(value: object) -> str | None:
    return None if value is None else str(value)[:LOGGED_CHARS]


Logged = Annotated[str | None, BeforeValidator(_logged)]


class UssdSessionEnded(Payload):
    """Only logged for operators, each field cut short: the gateway's word, not ours to check."""

    sessionId: Logged = None
    status: Logged = None
    hopsCount: Logged = None
    durationInMillis: Logged = None
    errorMessage: Logged = None


class InboundSms(Payload):
    sender: PhoneText = Field(alias="from")
    text: message_text(SMS_MAX_TEXT)
    id: GatewayId


class DeliveryReport(Payload):
    id: GatewayId
    status: Word
    failureReason: Note | None = None
