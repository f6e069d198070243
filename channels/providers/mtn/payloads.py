"""MTN MoMo's callback: the request-to-pay status, unsigned, so anything that does not fit is a 400."""
from pydantic import ConfigDict, Field

from channels.payloads.fields import Payload, Reference, Word


class MtnCallback(Payload):
    model_config = ConfigDict(coerce_numbers_to_str=True)  # sent once, never again: take a number as its text

    externalId: Reference | None = None  # our payment's reference, as we sent it
    status: Word | None = None
    financialTransactionId: Reference | None = None


class MtnHeaders(Payload):
    reference: Reference | None = Field(None, alias="X-Reference-Id")  # ours too, when the body lacks it
