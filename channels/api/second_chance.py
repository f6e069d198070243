"""A second chance to pay from the app: after a declined or expired mobile-money prompt, while the
order's `payment_retry_until` has not passed, try again (a new prompt to the same payer) or pay
cash (the order goes to the restaurant now). The same use cases answer SMS 1/2 and the USSD menu;
when no second chance stands the answer is 409 `no_retry_offer` saying why.
"""
from channels.api.endpoints import Call, endpoint
from channels.api.limits import PAYMENT, check
from channels.api.paying import PaymentOut
from channels.api.schemas import OrderOut
from channels.keys import DATABASE, RATES, SETTINGS, WAKE
from core.use_cases import paying


@endpoint("POST", "/api/v1/orders/{code}/payment/retry", tag="payments", response=PaymentOut, status=202, idempotent=True,
          summary="Try a declined or expired mobile-money payment again: a new prompt to the same payer",
          roles="the order's customer, while its second chance stands; 3 starts in 5 minutes")
async def retry(call: Call) -> PaymentOut:
    await check(call.app[RATES], f"payment:{call.account_id}", PAYMENT)
    prompted = await paying.try_again(call.app[DATABASE], account_id=call.account_id, code=call.path["code"],
                                      window_s=call.app[SETTINGS].payment_window)
    call.app[WAKE].set()  # the worker sends the prompt
    return PaymentOut.of(prompted.payment)


@endpoint("POST", "/api/v1/orders/{code}/payment/cash", tag="payments", response=OrderOut, idempotent=True,
          summary="Pay a declined or expired mobile-money order in cash instead: it goes to the restaurant now",
          roles="the order's customer, while its second chance stands")
async def cash(call: Call) -> OrderOut:
    order = await paying.pay_cash(call.app[DATABASE], account_id=call.account_id, code=call.path["code"],
                                  window_s=call.app[SETTINGS].payment_window)
    return OrderOut.of(order)
