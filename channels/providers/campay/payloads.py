"""CamPay's webhook, once its JWT `signature` holds: which transaction, and its status."""
from typing import Annotated

from pydantic import StringConstraints, TypeAdapter

from channels.payloads.fields import Payload, ProviderPaymentId, Reference, Word

MAX_SIGNATURE = 2048  # a JWT of a few claims is a few hundred characters
# A JSON body is one flat object of scalars, as a query string would be.
FLAT = TypeAdapter(dict[Annotated[str, StringConstraints(max_length=100)], str | int | float | bool | None])


class CampayWebhook(Payload):
    reference: ProviderPaymentId  # CamPay's transaction id: the webhook is deduplicated by it, the payment keeps it
    status: Word | None = None
    external_reference: Reference | None = None  # ours, as we sent it
    signature: str = ""  # the JWT, checked (channels.providers.campay.client) before the rest is read
