"""Faults a test or a person injects into a simulated gateway or provider, read from JSON: the
fields a fault dataclass declares, each checked, anything else refused with a clear reason."""
from dataclasses import fields
from typing import TypeVar

T = TypeVar("T")


def faults_of(kind: type[T], body: object) -> T:
    """`kind` from a JSON object; a missing field takes its default, an unknown one raises ValueError."""
    if not isinstance(body, dict):
        raise ValueError(f"a JSON object of fault fields: {', '.join(f.name for f in fields(kind))}")
    unknown = set(body) - {f.name for f in fields(kind)}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    return kind(**body)


def check_seconds(value: object, name: str, *, most: float | None = None) -> None:
    if type(value) not in (int, float) or value < 0 or (most is not None and value > most):
        raise ValueError(f"{name} is a number of seconds, from 0" + (f" to {most:g}" if most is not None else " up"))


def check_fail_status(value: object) -> None:
    if value is not None and (type(value) is not int or not 400 <= value <= 599):
        raise ValueError("fail_status is null or an HTTP error status (400-599)")
