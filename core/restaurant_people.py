"""A restaurant's people: its owners, managers and staff (their accounts' roles there), and its
console numbers (the main one runs the SMS console, the backup stands in).

The roles are the truth `core.restaurant_roles` reads; a change of them goes through
`core.accounts.set_roles`, so it is audited and its revocation of stale tokens is returned.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from core import accounts
from core.accounts import account_for
from core.db import Unit
from core.errors import BadInput, Conflict
from core.models import Account, Restaurant, Role
from core.phones import is_mobile
from core.restaurant_roles import MANAGER, OWNER, STAFF, strongest
from core.revocation import Revocation
from core.sealing import blind

NAMED_ROLES = (MANAGER, STAFF)  # the roles an owner gives; owners are made by approval or an admin
MAX_PEOPLE = 20
Named = tuple[str, str]  # (E.164 phone, manager or staff)


@dataclass(frozen=True)
class Person:
    phone: str
    role: str
    name: str | None


def check_named(people: Iterable[Named], *, owner_phone: str | None = None) -> list[Named]:
    """The people an owner lists, checked: each number once, as manager or staff, not the owner."""
    seen: set[str] = set()
    checked = []
    for i, (phone, role) in enumerate(people):
        if role not in NAMED_ROLES:
            raise BadInput(f"people.{i}.role: {role!r} is not one of {', '.join(NAMED_ROLES)}")
        if phone in seen:
            raise BadInput(f"people.{i}.phone: {phone} is listed twice")
        if phone == owner_phone:
            raise BadInput(f"people.{i}.phone: {phone} is the owner's own number")
        seen.add(phone)
        checked.append((phone, role))
    if len(checked) > MAX_PEOPLE:
        raise BadInput(f"people: at most {MAX_PEOPLE} numbers")
    return checked


async def check_console(unit: Unit, restaurant_id: int | None, console: str, backup: str | None) -> None:
    """The console numbers take SMS and belong to no other restaurant (whatever its status: the
    SMS console finds a restaurant by its number)."""
    if backup is not None and backup == console:
        raise BadInput("backup_phone: it is the console number; give another or none")
    for field, phone in (("console_phone", console), ("backup_phone", backup)):
        if phone is None:
            continue
        if not is_mobile(phone):
            raise BadInput(f"{field}: {phone} cannot take SMS; give a mobile number")
        query = select(Restaurant.name).where((Restaurant.phone_key == blind(phone)) | (Restaurant.backup_phone_key == blind(phone)))
        if restaurant_id is not None:
            query = query.where(Restaurant.id != restaurant_id)
        taken = await unit.session.scalar(query.limit(1))
        if taken is not None:
            raise Conflict(f"{field}: {phone} is already the console number of another restaurant")


async def people_of(unit: Unit, restaurant_id: int) -> list[Person]:
    """Everyone with a role at the restaurant, each once with their strongest role, by role then number."""
    rows = await unit.session.execute(
        select(Account.phone, Account.name, Role.role).join(Role, Role.account_id == Account.id)
        .where(Role.restaurant_id == restaurant_id)
    )
    held: dict[str, tuple[str | None, set[str]]] = {}
    for phone, name, role in rows:
        held.setdefault(phone, (name, set()))[1].add(role)
    order = {OWNER: 0, MANAGER: 1, STAFF: 2}
    people = [Person(phone, strongest(roles), name) for phone, (name, roles) in held.items()]
    return sorted(people, key=lambda p: (order[p.role], p.phone))


async def replace_named(unit: Unit, restaurant: Restaurant, people: list[Named], *, by: int, actor: str) -> list[Revocation]:
    """The restaurant's managers and staff become exactly these numbers (accounts opened for new
    ones, in the restaurant's language); owners are left as they are. Returns the revocations of
    the accounts whose roles changed, for the caller to store before committing."""
    at = restaurant.id
    owners = set(await unit.session.scalars(select(Role.account_id).where(Role.restaurant_id == at, Role.role == OWNER)))
    holders = select(Role.account_id).where(Role.restaurant_id == at, Role.role.in_(NAMED_ROLES))
    affected = {a.id: a for a in await unit.session.scalars(select(Account).where(Account.id.in_(holders)))
                if a.id not in owners}
    wanted = dict(people)
    for phone in wanted:
        account = await account_for(unit, phone, default_language=restaurant.language)
        if account.id in owners:
            raise BadInput(f"people: {phone} is an owner of this restaurant already")
        affected[account.id] = account
    revocations = []
    for account in sorted(affected.values(), key=lambda a: a.id):  # one order of row locks for all
        before = {(r.role, r.restaurant_id) for r in account.roles}
        roles = {pair for pair in before if not (pair[1] == at and pair[0] in NAMED_ROLES)}
        if account.phone in wanted:
            roles.add((wanted[account.phone], at))
        if not roles:  # taken off the restaurant, still a customer
            roles.add(("customer", None))
        if roles != before:
            revocations.append(await accounts.set_roles(unit, account, roles, by=by, actor=actor))
    return revocations


async def make_owner(unit: Unit, restaurant: Restaurant, account: Account, *, by: int, actor: str) -> Revocation | None:
    """The account owns the restaurant from now on (any manager or staff role there gives way)."""
    before = {(r.role, r.restaurant_id) for r in account.roles}
    roles = {pair for pair in before if not (pair[1] == restaurant.id and pair[0] in NAMED_ROLES)} | {(OWNER, restaurant.id)}
    if roles == before:
        return None
    return await accounts.set_roles(unit, account, roles, by=by, actor=actor)
