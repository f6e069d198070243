"""MYDATA and DELETE by SMS, from anyone with an account: the summary and a one-time download
link; erasing, asked then confirmed (DELETE, then DELETE YES within 10 minutes)."""
from collections.abc import Awaitable, Callable

from channels.session_store import SessionStore
from core.db import Unit
from core.i18n import translate
from core.models import Account
from core.revocation import Revocation
from core.use_cases import erasure, personal_data
from menus import sms_texts as T
from menus.keywords import CONFIRM_WORDS, Command

# The session-store keys a number's dialogs live under (channels.sms.customers, channels.dialogs.engine).
DIALOG_KEYS = ("sms:{phone}", "chat:whatsapp:{phone}", "chat:whatsapp-text:{phone}")
EXPORT_PATH = "/api/v1/me/export/"
REFUSALS = {"open_order": T.ERASE_REFUSED_ORDER, "money_pending": T.ERASE_REFUSED_MONEY, "driver_cash": T.ERASE_REFUSED_DRIVER}


def export_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{EXPORT_PATH}{token}"


async def answer(
    unit: Unit, account: Account, command: Command, *, public_url: str, link_ttl_s: int, ussd_code: str,
    store: SessionStore, revoke: Callable[[Revocation], Awaitable[None]],
) -> str:
    lang = account.language
    if command.name == "mydata":
        got = await personal_data.summary_with_link(unit, account.phone, ttl_s=link_ttl_s)
        return translate(T.MYDATA_SUMMARY, lang, orders=got.orders, addresses=got.addresses, points=got.points,
                         messages=got.messages, hours=max(link_ttl_s // 3600, 1), link=export_link(public_url, got.token))
    try:
        if command.args[:1] and command.args[0] in CONFIRM_WORDS:
            erased = await erasure.confirm(unit, account.phone)
        else:
            await erasure.ask(unit, account.phone)
            return translate(T.ERASE_ASK, lang)
    except erasure.ErasureRefused as refused:
        return translate(REFUSALS[refused.reason], lang)
    except erasure.NothingToConfirm:
        return translate(T.ERASE_NOTHING, lang)
    for key in DIALOG_KEYS:  # an SMS order or a chat in progress
        await store.delete(key.format(phone=erased.phone))
    for revocation in erased.revocations:
        await revoke(revocation)
    return translate(T.ERASED, lang, code=ussd_code)
