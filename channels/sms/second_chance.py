"""A customer's SMS answer to a second chance to pay: 1 (try again) or 2 (cash), or the words."""
from typing import TYPE_CHECKING

from core import payment_retry
from core.errors import NotFound
from core.formatting import money
from core.notices import national
from core.use_cases import paying
from menus import sms_texts as T
from menus.keywords import Command

if TYPE_CHECKING:
    from channels.sms.customers import CustomerSms


def _code(command: Command) -> str | None:
    """`1 <code>` names the order; a bare 1 answers the newest offer (the SMS named its code)."""
    return command.args[0] if command.args and command.args[0].isdigit() else None


async def try_again(sms: "CustomerSms", command: Command) -> str:
    try:
        prompted = await paying.try_again(sms.unit, account_id=sms.account.id, code=_code(command),
                                          window_s=sms.payment_window_s)
    except NotFound:
        return sms.t(T.RETRY_NONE)
    except payment_retry.NoOffer as refused:
        return refusal(sms, refused)
    sms.woken.extend(prompted.wakes)
    order = prompted.order
    return sms.t(T.RETRY_SENT, code=order.code, total=money(order.total_xaf, sms.lang), phone=national(prompted.payment.payer_phone or ""))


async def pay_cash(sms: "CustomerSms", command: Command) -> str:
    try:
        order = await paying.pay_cash(sms.unit, account_id=sms.account.id, code=_code(command), window_s=sms.payment_window_s)
    except NotFound:
        return sms.t(T.RETRY_NONE)
    except payment_retry.NoOffer as refused:
        return refusal(sms, refused)
    text = T.PLACED_CASH if order.fulfilment == "delivery" else T.CASH_CHOSEN_PICKUP
    restaurant = sms.catalog.restaurant(order.restaurant_id)
    return sms.t(text, code=order.code, restaurant=restaurant.name, total=money(order.total_xaf, sms.lang))


def refusal(sms: "CustomerSms", refused: payment_retry.NoOffer) -> str:
    """A 1 or 2 with no second chance standing: what became of the order, in one line."""
    if refused.why == "lapsed":
        return sms.t(T.RETRY_LAPSED, code=refused.order.code)
    if refused.why == "waiting":
        return sms.t(T.RETRY_WAITING, code=refused.order.code)
    if refused.why == "settled":
        return sms.status_line(refused.order)
    return sms.t(T.RETRY_NONE)
