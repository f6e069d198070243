"""Which access tokens stop working before they expire: every token of a login that ended (logout,
or its refresh token presented twice), and an account's tokens that carry roles it no longer has.

The core decides; the channel stores each `Revocation` (Redis, or the process) and checks every
token against the stored values. An entry needs to live only as long as an access token can.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

ACCESS_TTL = timedelta(minutes=15)  # an access token's life, so also a revocation's
ENDED = "ended"
# A token issued this long after a role change may still carry the roles read just before it
# committed, or come from a web process whose clock is behind: it is judged by its roles too.
MARGIN_S = 5


@dataclass(frozen=True)
class Revocation:
    key: str
    value: str
    ttl_s: int = int(ACCESS_TTL.total_seconds())


def login_ended(family: str) -> Revocation:
    """Every access token of this refresh family, issued already or still to come."""
    return Revocation(f"family:{family}", ENDED)


def roles_changed(account_id: int, labels: Iterable[str], at: datetime) -> Revocation:
    """The account's access tokens issued before the change (`at`), or up to MARGIN_S after it,
    that carry other roles than `labels`, the roles it has from now on.

    Judged by the roles a token carries, not by its issue time alone: a token issued in the same
    second as the change, before or after it, passes exactly when it has the new roles. Tokens
    issued later pass whatever their roles, which other services may have changed since (a
    driver taken on)."""
    return Revocation(f"account:{account_id}", f"{int(at.timestamp())} {_roles(labels)}")


def keys_of(claims: dict) -> tuple[str, str]:
    """The entries that may refuse this token, read together (one round trip)."""
    return f"family:{claims.get('fam', '')}", f"account:{claims['sub']}"


def refusal(claims: dict, found: Sequence[str | None]) -> str | None:
    """Why the token is refused, given the stored values of `keys_of(claims)`; None if it is not."""
    family, change = found
    if family is not None:
        return "this sign-in has ended: sign in again"
    if change is not None:
        at, _, roles = change.partition(" ")
        if claims.get("iat", 0) <= int(at) + MARGIN_S and roles != _roles(claims.get("roles", [])):
            return "the account's roles changed: refresh the access token"
    return None


def _roles(labels: Iterable[str]) -> str:
    return " ".join(sorted(labels))  # a label has no space: "customer", "owner:12"
