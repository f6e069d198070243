"""Hostile requests for the gateway and provider endpoints: what a fuzzer or a forger sends, as
hypothesis strategies, sent as raw HTTP so that any header byte gets through; and the service's
footprint, to show that a refused request stored nothing."""
import asyncio
import copy
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from hypothesis import strategies as st
from sqlalchemy import func, select

from channels.keys import DATABASE
from core.models import Account, AuditEvent, InboundMessage, Order, OutboxMessage, Payment, ProcessedEvent

CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\r\n\t"
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "application/json", "application/json; charset=utf-8", "",
    "multipart/form-data; boundary=xyz", "text/plain", "application/x-www-form-urlencoded; charset=latin-1",
    "garbage/;;;=", "application/json; charset=utf-16", "application/xml",
]
FORM = "application/x-www-form-urlencoded"
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf", b"\x80"]


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


async def send(chopbar, method: str, path: str, body: bytes = b"", headers: dict[str, str | bytes] | None = None) -> Answer:
    """One request as raw bytes on a socket, so header values can be anything but a line break."""
    host = f"127.0.0.1:{chopbar.server.port}"
    lines = [f"{method} {path} HTTP/1.1".encode(), f"Host: {host}".encode(), b"Connection: close",
             f"Content-Length: {len(body)}".encode()]
    for name, value in (headers or {}).items():
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        lines.append(name.encode() + b": " + raw.replace(b"\r", b"").replace(b"\n", b""))
    reader, writer = await asyncio.open_connection("127.0.0.1", chopbar.server.port)
    try:
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        try:
            await writer.drain()
        except ConnectionError:  # answered and closed before the whole body was read: the answer is there
            pass
        response = await reader.read()
    finally:
        writer.close()
    assert response.startswith(b"HTTP/1."), f"no answer: {response[:80]!r}"
    head, _, rest = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return Answer(status, rest.decode("utf-8", "replace"))


def url(chopbar, path: str) -> str:
    """The address the service sees itself called at, as Twilio signs it."""
    return f"http://127.0.0.1:{chopbar.server.port}{path}"


# Strings a fuzzer tries: anything, control characters and NUL, ids either side of 100
# characters, and huge ones.
strings = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=CONTROL + "ab", max_size=8),
    st.sampled_from(["", " ", "\x00", "a\x00b", "%00", "é", "😀", "+237699000001", "null", "0", "-1", "*" * 3]),
    st.integers(99, 102).map(lambda n: "x" * n),
    st.builds(lambda n, c: c * n, st.integers(200, 10_000), st.sampled_from("x\x00é*9")),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), strings)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
deep_json = st.builds(
    lambda n, kind: (b"[" * n + b"]" * n) if kind else (b'{"a":' * n + b"1" + b"}" * n),
    st.integers(150, 5000), st.booleans(),
)
# Bodies that are not the JSON they claim to be: bytes, broken UTF-8 and escapes, deep nesting.
broken_json = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(INVALID_UTF8).map(lambda b: b'{"id": "' + b + b'"}'),
    st.sampled_from([b"", b"null", b"[]", b"1", b'"x"', b"{", b'{"a":}', b'{"id":"\\ud800"}', b"\x00", b"{}\x00"]),
    deep_json,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _replaced(template, path, value, drop: bool):
    if not path:
        return value
    copied = copy.deepcopy(template)
    into = copied
    for part in path[:-1]:
        into = into[part]
    if drop and isinstance(into, dict):
        del into[path[-1]]
    else:
        into[path[-1]] = value
    return copied


def mutated(template):
    """A real payload with one part replaced by anything, or dropped: it gets past the outer checks."""
    paths = list(_paths(template))
    return st.builds(lambda path, value, drop: _replaced(template, path, value, drop),
                     st.sampled_from(paths), json_values, st.booleans())


def json_bodies(template):
    """Bodies for a JSON endpoint: a mutated real payload, any JSON, or no JSON at all."""
    as_bytes = lambda value: json.dumps(value).encode()  # noqa: E731
    return st.one_of(mutated(template).map(as_bytes), json_values.map(as_bytes), broken_json)


def form_pairs(template: dict[str, str]):
    """A real form's fields with one of them dropped, repeated or replaced by a hostile string, or
    each of them maybe so, plus hostile extra fields."""
    def build(choices, extras):
        pairs = []
        for (name, value), (how, other) in zip(template.items(), choices):
            if how == "keep":
                pairs.append((name, value))
            elif how == "replace":
                pairs.append((name, other))
            elif how == "repeat":
                pairs += [(name, value), (name, other)]
        return pairs + extras

    how = st.tuples(st.sampled_from(["replace", "drop", "repeat"]), strings)
    keep = ("keep", "")
    one = st.builds(lambda index, change: [change if i == index else keep for i in range(len(template))],
                    st.integers(0, len(template) - 1), how)
    each = st.lists(st.one_of(st.just(keep), how), min_size=len(template), max_size=len(template))
    extras = st.lists(st.tuples(strings, strings), max_size=3)
    return st.one_of(st.builds(build, one, st.just([])), st.builds(build, each, extras))


def encoded(pairs) -> bytes:
    return urlencode(pairs).encode()


def form_bodies(template: dict[str, str]):
    """Bodies for a form endpoint: a hostile version of the real form, or bytes no form is made of."""
    fields = form_pairs(template).map(encoded)
    return st.one_of(
        fields, fields, fields,
        st.binary(max_size=200),
        st.builds(lambda good, bad: encoded(good) + b"&text=" + bad, form_pairs(template), st.sampled_from(INVALID_UTF8)),
        st.builds(lambda good, escape: encoded(good) + escape, form_pairs(template),
                  st.sampled_from([b"&id=%ff", b"&text=%", b"&from=%zz", b"&%00=%00", b"&&&&", b"&=&="])),
        st.integers(65, 300).map(lambda n: b"&".join(b"f%d=1" % i for i in range(n))),
        st.just(b"text=" + b"x" * 40_000),
    )


# Mostly the right type, so that most requests get past it to what follows.
form_types = st.one_of(st.just(FORM), st.just(FORM), st.just(FORM), st.sampled_from(CONTENT_TYPES))
json_types = st.one_of(st.just("application/json"), st.just("application/json"), st.sampled_from(CONTENT_TYPES))
header_values = st.one_of(st.text(max_size=30), st.binary(max_size=30), st.sampled_from(["", "é", "\x00", "sha256=", "t=1,v1="]))


@dataclass(frozen=True)
class Footprint:
    events: int
    outbox: int
    inbound: int
    audit: int
    orders: int
    accounts: int
    payments: tuple


async def footprint(chopbar) -> Footprint:
    """What the service has stored that a request could have added to."""
    async with chopbar.app[DATABASE].unit() as unit:
        count = lambda model: unit.session.scalar(select(func.count(model.id)))  # noqa: E731
        payments = (await unit.session.execute(
            select(Payment.id, Payment.status, Payment.next_check_at, Payment.version, Payment.provider_reference)
            .order_by(Payment.id)
        )).all()
        return Footprint(
            await count(ProcessedEvent), await count(OutboxMessage), await count(InboundMessage), await count(AuditEvent),
            await count(Order), await count(Account), tuple(tuple(p) for p in payments),
        )


async def ignored_records(chopbar, provider: str) -> list[AuditEvent]:
    async with chopbar.app[DATABASE].unit() as unit:
        return list(await unit.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "webhook", AuditEvent.entity_ref == provider).order_by(AuditEvent.id)
        ))
