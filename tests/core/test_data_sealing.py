"""Sealing: any text comes back, an altered token or an unknown key is refused, the blind index
is deterministic and keyed, and rotation leaves every row readable under the new key alone."""
import base64
import os

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import Text, select, text, type_coerce

from chopbar.settings import Settings
from core import sealing
from core.models import Account
from core.rekeying import rekey
from core.sealing import Keyring, SealingError


def key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


INDEX = "an-index-key-long-enough-for-the-test-0123456789"
K1, K2 = f"k1:{key()}", f"k2:{key()}"


@given(st.text())
def test_any_text_comes_back_and_names_its_key(clear):
    ring = Keyring.parse(K1, INDEX)
    token = ring.seal(clear)
    assert token.isascii() and token.startswith("k1$")
    assert ring.unseal(token) == clear


@given(st.text(), st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_an_altered_token_is_refused(clear, at, flip):
    ring = Keyring.parse(K1, INDEX)
    key_id, _, body = ring.seal(clear).partition("$")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[at % len(raw)] ^= flip  # any bit of the nonce, the ciphertext or the tag
    altered = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(SealingError, match="does not authenticate"):
        ring.unseal(f"{key_id}${altered}")
    with pytest.raises(SealingError):
        ring.unseal(f"k2${body}")  # moved to another key id


def test_a_token_under_a_key_no_longer_held_names_it():
    token = Keyring.parse(K1, INDEX).seal("Ngozi")
    with pytest.raises(SealingError, match="key 'k1'.*no longer holds"):
        Keyring.parse(K2, INDEX).unseal(token)


def test_two_seals_of_one_value_differ():
    ring = Keyring.parse(K1, INDEX)
    assert ring.seal("+237677000002") != ring.seal("+237677000002")


@given(st.from_regex(r"\+2376\d{8}", fullmatch=True))
def test_the_blind_index_is_deterministic_and_keyed(phone):
    one, same = Keyring.parse(K1, INDEX), Keyring.parse(K2, INDEX)
    other = Keyring.parse(K1, INDEX[::-1])
    assert one.blind(phone) == same.blind(phone) == one.blind(f"{phone[:4]} {phone[4:]}")
    assert len(one.blind(phone)) == 22 and one.blind(phone) != other.blind(phone)
    assert phone[1:] not in one.blind(phone)


def test_keys_that_do_not_read_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="32"):
        Keyring.parse("k1:" + base64.b64encode(b"short").decode(), INDEX)
    with pytest.raises(ValueError, match="id:base64"):
        Keyring.parse("nocolon", INDEX)
    with pytest.raises(ValueError, match="index key"):
        Keyring.parse(K1, "short")


async def test_rekey_seals_old_rows_under_the_new_key_and_the_old_key_can_go(db, clock):
    was = sealing.keyring()
    try:
        dev = Settings().data_keys.get_secret_value()  # the seeded rows' key
        sealing.install(Keyring.parse(f"{K1},{dev}", INDEX))
        async with db.unit() as unit:
            unit.session.add(Account(phone="+237690000901", name="Ngozi Tabi", language="en", created_at=clock()))
        sealing.install(Keyring.parse(f"{K2},{K1},{dev}", INDEX))
        first = await rekey(db, batch=1)
        assert first.resealed["accounts.phone"] == first.resealed["accounts.name"] >= 1  # the seeded ones too
        again = await rekey(db)
        assert again.total == 0  # idempotent: nothing left under k1
        sealing.install(Keyring.parse(K2, INDEX))
        async with db.unit() as unit:
            account = await unit.session.scalar(select(Account).where(Account.phone_key == sealing.blind("+237690000901")))
            assert account.name == "Ngozi Tabi"
            raw = await unit.session.scalar(select(type_coerce(Account.name, Text)).where(Account.id == account.id))
            assert raw.startswith("k2$")
            await unit.session.execute(text("UPDATE accounts SET name = 'k9$AAAA' WHERE id = :id"), {"id": account.id})
        with pytest.raises(SealingError, match="accounts.name of row .*'k9'"):
            await rekey(db)
    finally:
        sealing.install(was)
