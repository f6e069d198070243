"""Order codes: 6 keypad digits, the last a Damm check digit that catches typos and swaps."""
import random
import secrets

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


def _interim(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = DAMM[interim][int(ch)]
    return interim


def damm_digit(digits: str) -> str:
    return str(_interim(digits))


def is_valid_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit() and _interim(code) == 0


def new_order_code(rng: random.Random | None = None) -> str:
    draw = rng.randrange if rng else secrets.randbelow
    payload = str(10000 + (draw(90000) if not rng else rng.randrange(90000)))
    return payload + damm_digit(payload)


def new_handover_code() -> str:
    return f"{secrets.randbelow(10000):04d}"
