"""Accounts: one per phone number, found or opened the first time a number reaches us."""
from sqlalchemy import select

from core.db import Unit
from core.i18n import LANGUAGES
from core.errors import BadInput
from core.models import Account, Role


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
