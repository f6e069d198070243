"""A customer's SMS answer to a second chance to pay: 1 (try again) or 2 (cash), or the words."""
from typing import TYPE_CHECKING

from core import payment_retry
from core.formatting import money
from core.models import Order
from core.notices import national
from menus import sms_texts as T
from menus.keywords import Command

if TYPE_CHECKING:
    from channels.sms.customers import CustomerSms


async def _offered(sms: "CustomerSms", command: Command) -> Order | None:
    """`1 <code>` names the order; a bare 1 answers the newest offer (the SMS named its code)."""
    if command.args and command.args[0].isdigit():
        return await sms.named_order(command)
    return await payment_retry.offered_order(sms.unit, sms.account.id)


async def try_again(sms: "CustomerSms", command: Command) -> str:
    try:
        payment = await payment_retry.try_again(sms.unit, await _offered(sms, command), sms.account, window_s=sms.payment_window_s)
    except payment_retry.NoOffer as refused:
        return refusal(sms, refused)
    sms.woken.append("payments")  # the worker sends the new prompt
    order = await sms.unit.session.get(Order, payment.order_id)
    return sms.t(T.RETRY_SENT, code=order.code, total=money(order.total_xaf, sms.lang), phone=national(payment.payer_phone or ""))


async def pay_cash(sms: "CustomerSms", command: Command) -> str:
    try:
        order = await payment_retry.pay_cash_instead(sms.unit, await _offered(sms, command), sms.account, window_s=sms.payment_window_s)
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
