"""Accounts: one per phone number, found or opened the first time a number reaches us, and the
roles an admin gives them."""
from sqlalchemy import Row, bindparam, select

from core import audit, inserts
from core.db import Unit
from core.dedupe import insert_once
from core.i18n import LANGUAGES
from core.errors import BadInput, Conflict
from core.models import Account, Restaurant, Role
from core.restaurant_roles import RESTAURANT_ROLES
from core.revocation import Revocation, roles_changed
from core.sealing import blind

ROLES = ("customer", "owner", "manager", "staff", "driver", "support", "admin")
AT_A_RESTAURANT = RESTAURANT_ROLES
RolePair = tuple[str, int | None]  # (role, restaurant id for owner and staff)


async def find_account(unit: Unit, phone: str) -> Account | None:
    return await unit.session.scalar(select(Account).where(Account.phone_key == blind(phone)))


# Built once: making the statement anew on every dial cost more than SQLite takes to answer it.
_CALLER = select(Account.id, Account.language).where(Account.phone_key == bindparam("phone_key"))


async def caller_of(unit: Unit, phone: str) -> Row | None:
    """The `id` and `language` of this number's account, read without loading the account."""
    return await unit.first_row(_CALLER, {"phone_key": blind(phone)})


async def account_for(unit: Unit, phone: str, *, default_language: str) -> Account:
    """The account of this E.164 number, opened as a customer's on first contact.

    A known number costs one select. A new one is inserted unless it is there already, then read:
    of several first messages at once, one inserts and the others wait for it and read its row
    (PostgreSQL, SQLite), instead of failing on the unique phone. Only the one that inserted gives
    the customer role, so there is one."""
    account = await find_account(unit, phone)
    if account is not None:
        return account
    opened = await insert_once(unit, Account, ["phone_key"], phone=phone, language=default_language, created_at=unit.now())
    account = await find_account(unit, phone)
    if account is None:  # deleted again between the two statements: very unlikely, and safe to retry
        raise Conflict(f"the account of {phone} changed at the same time; try again")
    if opened:
        account.roles.append(Role(role="customer"))
        await unit.session.flush()
    return account


async def open_customer(unit: Unit, phone: str, *, language: str) -> int:
    """The id of the account of a number not known a moment ago, opened now as a customer's (with
    its role, in one statement on PostgreSQL); an account opened meanwhile is found instead."""
    account = Account(phone=phone, language=language, created_at=unit.now())
    opened = await inserts.insert_together(unit, account, [Role(role="customer")], [], key="account_id")
    if opened is not None:
        return opened
    found = await unit.session.scalar(select(Account.id).where(Account.phone_key == blind(phone)))
    if found is None:  # deleted again between the two statements: very unlikely, and safe to retry
        raise Conflict(f"the account of {phone} changed at the same time; try again")
    return found


def set_language(account: Account, language: str) -> None:
    if language not in LANGUAGES:
        raise BadInput(f"language must be one of {', '.join(LANGUAGES)}")
    account.language = language


def _label(role: str, restaurant_id: int | None) -> str:
    return f"{role}:{restaurant_id}" if restaurant_id else role


def role_labels(account: Account) -> list[str]:
    """The account's roles as an access token carries them: `customer`, `owner:12`..."""
    return sorted({_label(r.role, r.restaurant_id) for r in account.roles})


async def set_roles(unit: Unit, account: Account, wanted: set[RolePair], *, by: int, actor: str) -> Revocation:
    """Replaces the account's roles, audited. Owner and staff name an existing restaurant, other
    roles none; an admin cannot take away their own admin role (another admin must).

    Returns the revocation of the account's access tokens that carry other roles, for the caller
    to store: the apps refresh and get tokens with the new roles. It is returned even when the
    roles were already these, so repeating a change whose revocation was not stored stores it."""
    for role, restaurant_id in sorted(wanted, key=lambda r: (r[0], r[1] or 0)):
        if role not in ROLES:
            raise BadInput(f"roles: {role} is not one of {', '.join(ROLES)}")
        if role in AT_A_RESTAURANT and restaurant_id is None:
            raise BadInput(f"roles: {role} needs the restaurant_id of its restaurant")
        if role not in AT_A_RESTAURANT and restaurant_id is not None:
            raise BadInput(f"roles: {role} is not a role at a restaurant; send restaurant_id null")
    named = {restaurant_id for _, restaurant_id in wanted if restaurant_id is not None}
    found = set(await unit.session.scalars(select(Restaurant.id).where(Restaurant.id.in_(named)))) if named else set()
    if named - found:
        raise BadInput(f"roles: no restaurant {min(named - found)}")
    if account.id == by and account.has_role("admin") and ("admin", None) not in wanted:
        raise Conflict("you cannot remove your own admin role: ask another admin")
    before = {(r.role, r.restaurant_id) for r in account.roles}
    for role in account.roles:
        if (role.role, role.restaurant_id) not in wanted:
            # Only the roles that go: the pair is unique, and a flush inserts before it deletes.
            await unit.session.delete(role)
    for role, restaurant_id in wanted - before:
        unit.session.add(Role(account_id=account.id, role=role, restaurant_id=restaurant_id))
    await unit.session.flush()
    await unit.session.refresh(account, ["roles"])
    audit.record(unit, "account", str(account.id), "set_roles", actor=actor, data={
        "before": sorted(_label(*pair) for pair in before), "after": sorted(_label(*pair) for pair in wanted),
    })
    return roles_changed(account.id, role_labels(account), unit.now())


async def make_admin(unit: Unit, phone: str, *, default_language: str, actor: str) -> tuple[Account, bool, bool]:
    """The number's account holds the admin role from now on (opened as a customer's first if new),
    audited when it changes; returns the account, whether it was opened, whether the role was added.

    No token needs revoking: the tokens it has carry fewer roles, and the next sign-in carries admin."""
    opened = await find_account(unit, phone) is None
    account = await account_for(unit, phone, default_language=default_language)
    if account.has_role("admin"):
        return account, opened, False
    unit.session.add(Role(account_id=account.id, role="admin"))
    await unit.session.flush()
    await unit.session.refresh(account, ["roles"])
    audit.record(unit, "account", str(account.id), "make_admin", actor=actor, data={"phone": phone, "opened": opened})
    return account, opened, True
