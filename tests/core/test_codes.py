"""Order codes: 6 digits with a Damm check digit that refuses every single typo and neighbour swap."""
import random

from hypothesis import given, strategies as st

from core.codes import damm_digit, is_valid_code, new_handover_code, new_order_code

PAYLOADS = [f"{n:05d}" for n in range(10000, 100000)]


def test_new_codes_are_six_keypad_digits_that_check():
    rng = random.Random(7)
    for _ in range(1000):
        code = new_order_code(rng)
        assert len(code) == 6 and code.isdigit() and code[0] != "0" and is_valid_code(code)
    assert is_valid_code(new_order_code())


def test_every_single_digit_typo_is_refused():
    for payload in PAYLOADS[::7]:  # 12 858 codes, all 54 typos of each
        code = payload + damm_digit(payload)
        for i in range(6):
            for d in "0123456789":
                if d != code[i]:
                    assert not is_valid_code(code[:i] + d + code[i + 1:]), (code, i, d)


def test_every_swap_of_two_different_neighbours_is_refused():
    for payload in PAYLOADS[::3]:
        code = payload + damm_digit(payload)
        for i in range(5):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
                assert not is_valid_code(swapped), (code, swapped)


@given(st.text(max_size=10))
def test_anything_else_is_not_a_code_and_breaks_nothing(text):
    valid = is_valid_code(text)
    assert not valid or (len(text) == 6 and text.isascii() and text.isdigit())


def test_handover_codes_are_four_digits():
    assert all(len(c) == 4 and c.isdigit() for c in (new_handover_code() for _ in range(100)))


def test_unicode_digits_are_not_order_codes():
    assert not is_valid_code("12345³") and not is_valid_code("１２３４５６")
