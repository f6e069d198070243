"""Which access tokens a stored revocation refuses: a login's all, an account's by the roles they carry."""
from datetime import datetime, timezone

from hypothesis import given, strategies as st

from core.revocation import MARGIN_S, keys_of, login_ended, refusal, roles_changed

CHANGED_AT = datetime(2026, 11, 24, 11, 30, 0, 400_000, tzinfo=timezone.utc)
ROLES = st.sets(st.sampled_from(["customer", "driver", "support", "admin", "owner:3", "staff:7"]))


def claims(roles, iat: float, fam: str = "f1") -> dict:
    return {"sub": "42", "fam": fam, "iat": int(iat), "roles": sorted(roles)}


def stored(*revocations) -> dict[str, str]:
    return {r.key: r.value for r in revocations}


def check(token: dict, store: dict[str, str]) -> str | None:
    return refusal(token, [store.get(key) for key in keys_of(token)])


def test_an_ended_login_refuses_its_tokens_and_no_other_login():
    store = stored(login_ended("f1"))
    assert "sign in again" in check(claims(["customer"], CHANGED_AT.timestamp(), fam="f1"), store)
    assert check(claims(["customer"], CHANGED_AT.timestamp(), fam="f2"), store) is None


@given(old=ROLES, new=ROLES, issued_s=st.floats(min_value=-900, max_value=MARGIN_S))
def test_around_a_role_change_a_token_passes_exactly_when_it_carries_the_new_roles(old, new, issued_s):
    store = stored(roles_changed(42, new, CHANGED_AT))
    token = claims(old, CHANGED_AT.timestamp() + issued_s)
    assert (check(token, store) is None) == (set(old) == set(new))


@given(roles=ROLES, new=ROLES)
def test_well_after_a_role_change_tokens_pass_whatever_roles_were_given_since(roles, new):
    store = stored(roles_changed(42, new, CHANGED_AT))
    assert check(claims(roles, CHANGED_AT.timestamp() + MARGIN_S + 1), store) is None


def test_another_accounts_change_refuses_nothing_here():
    store = stored(roles_changed(7, ["customer"], CHANGED_AT))
    assert check(claims(["admin"], CHANGED_AT.timestamp() - 60), store) is None
