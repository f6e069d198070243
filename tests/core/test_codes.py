"""Order codes: 6 digits with a Damm check digit that refuses every single typo and neighbour swap."""
import random
from itertools import product

import pytest
from hypothesis import given, settings, strategies as st

from core.codes import DAMM, damm_digit, is_valid_code, new_handover_code, new_order_code

DIGITS = "0123456789"
ALL_CODES = [f"{n:05d}" + damm_digit(f"{n:05d}") for n in range(100_000)]


def typos(code: str):
    for i, d in product(range(len(code)), DIGITS):
        if d != code[i]:
            yield code[:i] + d + code[i + 1:]


def swaps(code: str):
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]


def test_the_table_is_a_latin_square_so_one_wrong_digit_always_changes_the_result():
    for row in DAMM:
        assert sorted(row) == list(range(10))
    for column in zip(*DAMM):
        assert sorted(column) == list(range(10))
    assert all(DAMM[i][i] == 0 for i in range(10))


def test_the_table_is_anti_symmetric_so_a_neighbour_swap_always_changes_the_result():
    for state, a, b in product(range(10), repeat=3):
        if a != b:
            assert DAMM[DAMM[state][a]][b] != DAMM[DAMM[state][b]][a], (state, a, b)


def test_every_payload_with_its_check_digit_is_a_valid_code():
    assert all(is_valid_code(code) for code in ALL_CODES)


def test_every_single_digit_typo_in_every_code_is_refused():
    # all 100 000 payloads, all 54 typos each: 5.4 million codes, none accepted. Membership in
    # ALL_CODES stands for is_valid_code: the test below shows they accept exactly the same codes.
    valid = set(ALL_CODES)
    for code in ALL_CODES:
        assert valid.isdisjoint(typos(code)), code


def test_every_swap_of_two_different_neighbours_in_every_code_is_refused():
    valid = set(ALL_CODES)
    for code in ALL_CODES:
        assert valid.isdisjoint(swaps(code)), code


def test_the_valid_set_is_exactly_one_code_per_payload():
    assert sum(1 for n in range(1_000_000) if is_valid_code(f"{n:06d}")) == 100_000


@pytest.mark.parametrize("code", ["572", "5724", "57240", "5724000", "", "000000 ", " 000000"])
def test_codes_of_the_wrong_length_or_padded_are_refused(code):
    assert not is_valid_code(code)


def test_the_textbook_example_gets_its_known_check_digit():
    assert damm_digit("572") == "4" and is_valid_code("572400")


def test_the_check_digit_refuses_anything_but_ascii_digits():
    for bad in ("12a45", "12 45", "１２３"):
        with pytest.raises(ValueError):
            damm_digit(bad)


def test_new_codes_are_six_keypad_digits_that_check_and_never_start_with_zero():
    rng = random.Random(7)
    codes = [new_order_code(rng) for _ in range(2000)]
    assert all(len(c) == 6 and c.isdigit() and c[0] != "0" and is_valid_code(c) for c in codes)
    assert len(set(codes)) > 1900  # spread over the 90 000 codes, not stuck on a few
    assert is_valid_code(new_order_code())


def test_the_same_seed_gives_the_same_codes_for_repeatable_tests():
    assert [new_order_code(random.Random(3)) for _ in range(3)] == [new_order_code(random.Random(3))] * 3


@settings(max_examples=200)
@given(st.text(max_size=10))
def test_anything_else_is_not_a_code_and_breaks_nothing(text):
    valid = is_valid_code(text)
    assert not valid or (len(text) == 6 and text.isascii() and text.isdigit())


def test_unicode_digits_are_not_order_codes():
    assert not is_valid_code("12345³") and not is_valid_code("１２３４５６")


def test_handover_codes_are_four_digits_including_leading_zeros():
    codes = [new_handover_code() for _ in range(2000)]
    assert all(len(c) == 4 and c.isascii() and c.isdigit() for c in codes)
    assert len(set(codes)) > 1500
