"""Accounts: one per phone number, found or opened the first time a number reaches us, and the
roles an admin gives them."""
from sqlalchemy import select

from core import audit
from core.db import Unit
from core.i18n import LANGUAGES
from core.errors import BadInput, Conflict
from core.models import Account, Restaurant, Role

ROLES = ("customer", "owner", "staff", "driver", "support", "admin")
AT_A_RESTAURANT = ("owner", "staff")
RolePair = tuple[str, int | None]  # (role, restaurant id for owner and staff)


async def find_account(unit: Unit, phone: str) -> Account | None:
    return await unit.session.scalar(select(Account).where(Account.phone == phone))


async def account_for(unit: Unit, phone: str, *, default_language: str) -> Account:
    """The account of this E.164 number, opened as a customer's on first contact."""
    account = await find_account(unit, phone)
    if account is None:
        account = Account(phone=phone, language=default_language, created_at=unit.now(), roles=[])
        account.roles.append(Role(role="customer"))
        unit.session.add(account)
        await unit.session.flush()
    return account


def set_language(account: Account, language: str) -> None:
    if language not in LANGUAGES:
        raise BadInput(f"language must be one of {', '.join(LANGUAGES)}")
    account.language = language


def _label(role: str, restaurant_id: int | None) -> str:
    return f"{role}:{restaurant_id}" if restaurant_id else role


async def set_roles(unit: Unit, account: Account, wanted: set[RolePair], *, by: int, actor: str) -> None:
    """Replaces the account's roles, audited. Owner and staff name an existing restaurant, other
    roles none; an admin cannot take away their own admin role (another admin must)."""
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
    if account.id == by and ("admin", None) not in wanted:
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
