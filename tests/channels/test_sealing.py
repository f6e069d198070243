"""Secrets inside stored answers: sealed under the service's secret and bound to their row."""
import json

import pytest
from hypothesis import given, strategies as st

from channels.api.sealing import Unreadable, seal, unseal

SECRET = "a-test-secret-that-is-long-enough-for-production"
texts = st.text(min_size=16, max_size=200)  # as long as a real secret: no chance match in the sealed text


@given(client_secret=texts, other=st.integers())
def test_a_sealed_answer_opens_to_the_same_answer(client_secret, other):
    answer = json.dumps({"reference": "p1", "client_secret": client_secret, "amount_xaf": other})
    stored = seal(answer, secret=SECRET, context="7:key")
    assert json.loads(stored)["client_secret"].startswith("sealed:v1:") and client_secret not in stored
    assert json.loads(unseal(stored, secret=SECRET, context="7:key")) == json.loads(answer)


@pytest.mark.parametrize("secret,context", [("another-secret-another-secret-another", "7:key"), (SECRET, "8:key"), (SECRET, "7:other")])
def test_another_secret_or_another_row_cannot_open_it(secret, context):
    stored = seal('{"client_secret": "pi_1_secret_abc"}', secret=SECRET, context="7:key")
    with pytest.raises(Unreadable):
        unseal(stored, secret=secret, context=context)


@pytest.mark.parametrize("answer", ["", "[]", "not json", '{"client_secret": null}', '{"reference": "p1"}'])
def test_answers_with_nothing_to_seal_are_kept_byte_for_byte(answer):
    assert seal(answer, secret=SECRET, context="7:key") == answer
    assert unseal(answer, secret=SECRET, context="7:key") == answer
