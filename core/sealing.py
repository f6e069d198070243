"""Personal data sealed at rest: AES-256-GCM under named keys, and a keyed hash to look numbers up.

A `Keyring` holds the data keys by key id (the first is current and seals every new value; all
of them unseal) and one blind-index key (HMAC-SHA256). `seal(text)` gives `<key id>$<base64url>`:
the key id in clear so a reader picks the key (and `chopbar rekey` finds the values under an old
one), then a random 96-bit nonce, the ciphertext and the 128-bit tag. The key id is the GCM
associated data, so a token moved to another key id is refused rather than read.

`blind(phone)` is the HMAC of the normalised E.164 number, 128 bits in 22 base64url characters:
equal numbers give equal keys, so a `phone_key` column is indexed and compared instead of the
number, and nobody without the index key can compute one. Rotating the data keys leaves it alone;
a new index key would mean recomputing every key column.

No I/O and no settings here: the composition root (app, CLI, worker, migrations) builds the
keyring from its settings and `install`s it once; the column types (core.models.types) use it.
"""
import base64
import binascii
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32
INDEX_KEY_MIN = 32  # characters of the blind-index key
SEP = "$"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_NOT_DIGIT = re.compile(r"[^\d+]")


class SealingError(ValueError):
    """A token that cannot be read: under a key no longer configured, altered, or not a token."""


class Keyring:
    """Data keys by id, the first current, and the blind-index key."""

    def __init__(self, keys: list[tuple[str, bytes]], index_key: bytes) -> None:
        if not keys:
            raise ValueError("at least one data key is needed")
        self._ciphers: dict[str, AESGCM] = {}
        for key_id, key in keys:
            if not _KEY_ID.match(key_id):
                raise ValueError(f"a key id is 1 to 16 letters, digits, - or _, not {key_id!r}")
            if len(key) != KEY_BYTES:
                raise ValueError(f"key {key_id} is {len(key)} bytes: AES-256 needs {KEY_BYTES}")
            if key_id in self._ciphers:
                raise ValueError(f"key id {key_id} is given twice")
            self._ciphers[key_id] = AESGCM(key)
        if len(index_key) < INDEX_KEY_MIN:
            raise ValueError(f"the blind-index key needs at least {INDEX_KEY_MIN} bytes")
        self.current = keys[0][0]
        self._index_key = index_key

    @classmethod
    def parse(cls, keys: str, index_key: str) -> "Keyring":
        """From `id:base64-32-bytes,id:...` (current first) and the index key's text."""
        parsed = []
        for part in keys.split(","):
            key_id, sep, encoded = part.strip().partition(":")
            if not sep:
                raise ValueError("a data key is id:base64-of-32-bytes (its id, a colon, then the key)")
            encoded = encoded.strip().replace("-", "+").replace("_", "/")
            try:
                parsed.append((key_id.strip(), base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)))
            except binascii.Error:
                raise ValueError(f"key {key_id.strip()} is not base64") from None
        return cls(parsed, index_key.encode())

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def seal(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current].encrypt(nonce, text.encode(), self.current.encode())
        return f"{self.current}{SEP}{base64.urlsafe_b64encode(nonce + sealed).rstrip(b'=').decode()}"

    def unseal(self, token: str) -> str:
        key_id, sep, body = token.partition(SEP)
        if not sep:
            raise SealingError("not a sealed value (no key id): was this row sealed by the migration?")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SealingError(f"a value is sealed under key {key_id!r}, which CHOPBAR_DATA_KEYS no longer holds: "
                               f"add it back (after the current key) and run `chopbar rekey`")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_id.encode()).decode()
        except (InvalidTag, binascii.Error, ValueError):
            raise SealingError(f"a value under key {key_id!r} does not authenticate: altered or damaged") from None

    def key_of(self, token: str) -> str:
        return token.partition(SEP)[0]

    def blind(self, phone: str) -> str:
        digest = hmac.new(self._index_key, normalise(phone).encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def normalise(phone: str) -> str:
    """The number as E.164 compares it: spaces, dashes, dots and brackets dropped."""
    return _NOT_DIGIT.sub("", phone)


_installed: Keyring | None = None


def install(keyring: Keyring) -> None:
    """Makes `keyring` the one every sealed column and `blind` use in this process."""
    global _installed
    _installed = keyring


def installed() -> bool:
    return _installed is not None


def keyring() -> Keyring:
    if _installed is None:
        raise RuntimeError("no keyring installed: the composition root calls core.sealing.install at start")
    return _installed


def seal(text: str) -> str:
    return keyring().seal(text)


def unseal(token: str) -> str:
    return keyring().unseal(token)


def blind(phone: str) -> str:
    return keyring().blind(phone)
