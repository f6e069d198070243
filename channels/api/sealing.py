"""Fields of a stored API answer that are kept encrypted, never in clear: a card payment's Stripe
`client_secret`, with which anyone could confirm the payment.

AES-256-GCM, under a key derived (HKDF-SHA256) from `CHOPBAR_JWT_SECRET`, and bound to the row it
belongs to (the account and its Idempotency-Key): a sealed value read from the database, or moved
to another account's row, opens to nothing. Changing the JWT secret makes sealed values unreadable;
their replays are then refused, and the app starts again with a new key.
"""
import base64
import json
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED = ("client_secret",)  # top-level fields of an answer
MARK = "sealed:v1:"
NONCE_BYTES = 12


class Unreadable(Exception):
    """A sealed value that this secret cannot open: another secret sealed it, or it was altered."""


@lru_cache(maxsize=4)
def _cipher(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"chopbar stored answers").derive(secret.encode())
    return AESGCM(key)


def seal(answer: str, *, secret: str, context: str) -> str:
    """The answer as it may be stored: each SEALED field with a value encrypted."""
    body = _json_object(answer)
    if body is None or not any(isinstance(body.get(name), str) for name in SEALED):
        return answer
    for name in SEALED:
        if isinstance(body.get(name), str):
            nonce = os.urandom(NONCE_BYTES)
            sealed = _cipher(secret).encrypt(nonce, body[name].encode(), context.encode())
            body[name] = MARK + base64.urlsafe_b64encode(nonce + sealed).decode()
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def unseal(stored: str, *, secret: str, context: str) -> str:
    """The answer as it was given, from its stored form; Unreadable if a sealed field will not open."""
    body = _json_object(stored)
    if body is None or not any(_is_sealed(body.get(name)) for name in SEALED):
        return stored
    for name in SEALED:
        if _is_sealed(body.get(name)):
            try:
                raw = base64.urlsafe_b64decode(body[name][len(MARK):])
                body[name] = _cipher(secret).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
            except (InvalidTag, ValueError) as exc:
                raise Unreadable(name) from exc
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(MARK)


def _json_object(text: str) -> dict | None:
    try:
        body = json.loads(text) if text else None
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
