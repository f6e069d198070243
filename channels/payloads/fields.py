"""The fields provider payloads are made of (ids, numbers, texts, notes), each capped, and how a
payload that does not fit them is told apart: refused outright, or acknowledged and ignored."""
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from core.errors import BadInput

MAX_ID = 100  # the outbox's `reply:<provider>:<id>` dedupe key has 120 characters
PRINTABLE_ASCII = re.compile(r"[ -~]+")
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
REFUSED = {"gateway_id", "message_text"}  # what a provider never sends: 400 even when signed


class Payload(BaseModel):
    """Fields we do not use are allowed (providers add some at any time) and dropped."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def _gateway_id(limit: int):
    def check(value: str) -> str:
        if not (len(value) <= limit and PRINTABLE_ASCII.fullmatch(value) and value.strip()):
            raise PydanticCustomError("gateway_id", f"an id is 1 to {limit} printable ASCII characters")
        return value

    return check


def _printable_ascii(value: str) -> str:
    if not (len(value) <= MAX_ID and PRINTABLE_ASCII.fullmatch(value)):
        raise PydanticCustomError("reference", f"a reference is 1 to {MAX_ID} printable ASCII characters")
    return value


def _short(limit: int):
    def check(value: str) -> str:
        if len(value) > limit or CONTROLS.search(value):
            raise PydanticCustomError("word", f"at most {limit} characters, none of them control characters")
        return value

    return check


def message_text(limit: int):
    """A person's message: PostgreSQL cannot store NUL, and no gateway sends one."""

    def check(value: str) -> str:
        if len(value) > limit or "\x00" in value:
            raise PydanticCustomError("message_text", f"a message is at most {limit} characters, with no NUL")
        return value

    return Annotated[str, AfterValidator(check)]


def _note(value: str) -> str:
    return CONTROLS.sub(" ", value[:240]).strip()


GatewayId = Annotated[str, AfterValidator(_gateway_id(MAX_ID))]  # the id a request is deduplicated by
# A provider's id of a payment, deduplicated by and also kept as the payment's provider reference.
PAYMENT_REFERENCE_MAX = 80  # payments.provider_reference
ProviderPaymentId = Annotated[str, AfterValidator(_gateway_id(PAYMENT_REFERENCE_MAX))]
Reference = Annotated[str, AfterValidator(_printable_ascii)]  # another id we look up or store
Word = Annotated[str, AfterValidator(_short(100))]  # a status or an event type, compared with ours
PhoneText = Annotated[str, AfterValidator(_short(40))]  # read by core.phones.to_e164 next
Note = Annotated[str, AfterValidator(_note)]  # a provider's reason, stored as a short line


class Unfit(BadInput):
    """A payload that is not of a shape we know: from an unsigned caller a 400; from a signed
    provider acknowledged and recorded, or the provider would retry it for days."""


def problems(exc: ValidationError) -> str:
    """Pydantic's errors as one short line: `entry.0.changes: Input should be a valid list; ...`."""
    said = []
    for error in exc.errors(include_url=False)[:5]:
        where = ".".join(str(part)[:40] for part in error["loc"]) or "body"
        said.append(f"{where}: {error['msg']}")
    return "; ".join(said)[:300]


def fit(model: type[Payload], values: Any, *, from_json: bool = False) -> Any:
    """`values` as `model`; BadInput when it is not JSON or an id or text is refused, else Unfit."""
    try:
        return model.model_validate_json(values) if from_json else model.model_validate(values)
    except ValidationError as exc:
        kinds = {error["type"] for error in exc.errors(include_url=False)}
        if "json_invalid" in kinds:  # not JSON, not UTF-8, or nested deeper than pydantic reads
            raise BadInput("the body is not JSON (or is nested too deep)") from None
        if kinds & REFUSED:
            raise BadInput(problems(exc)) from None
        raise Unfit(problems(exc)) from None
