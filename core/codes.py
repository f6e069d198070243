"""Order codes: 6 keypad digits, the last a Damm check digit that catches typos and swaps."""
import random
import secrets

# Damm's weakly totally anti-symmetric quasigroup of order 10: every row and column is a
# permutation, which catches any one wrong digit, and the anti-symmetry catches any swap of
# two different neighbours. The tests check both properties on the table itself.
DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
CODE_LENGTH = 6


def _interim(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = DAMM[interim][int(ch)]
    return interim


def damm_digit(digits: str) -> str:
    """The check digit to append to `digits` (ASCII digits only)."""
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"{digits!r} is not a string of digits")
    return str(_interim(digits))


def is_valid_code(code: str) -> bool:
    # isascii: str.isdigit() also accepts "³" and full-width digits, which no keypad sends
    return len(code) == CODE_LENGTH and code.isascii() and code.isdigit() and _interim(code) == 0


def new_order_code(rng: random.Random | None = None) -> str:
    """Five random digits, the first not 0 (codes get read aloud and typed), then the check digit."""
    draw = rng.randrange if rng is not None else secrets.randbelow
    payload = str(10_000 + draw(90_000))
    return payload + damm_digit(payload)


def new_handover_code() -> str:
    """Four digits the customer tells the driver; no check digit, a wrong one is simply refused."""
    return f"{secrets.randbelow(10_000):04d}"
