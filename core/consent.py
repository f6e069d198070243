"""Which messages a number that said STOP still gets.

STOP ends what we would start on our own (offers, invitations, rating requests) and the
conversation (replies to texts and chats); it never ends the messages an order in progress
needs, nor what the person asked for a moment ago. By the kind of an outbox message:

| kind                                          | after STOP | why                                        |
|-----------------------------------------------|------------|--------------------------------------------|
| `account.*` (the STOP and START confirmations)| sent       | the person asked                           |
| `auth.*` (sign-in codes)                      | sent       | the person asked                           |
| `order.*`, `payment.*`, `delivery.*`          | sent       | an order in progress: acceptance, refunds, |
|                                               |            | the driver's arrival, the handover code    |
| `support.*`, `console.*`, `driver.*`          | sent       | people working an order (restaurants,      |
|                                               |            | drivers, support), not customers           |
| `order.reply` (the SMS answer to ORDER, YES,  | sent       | the person is placing or following an      |
| STATUS, CANCEL, and 1/2 for a second chance)  |            | order                                      |
| `customer.reply`, `dialog.reply` (chat)       | not sent   | the conversation ended with STOP           |
| `limit.wait` (too many texts: wait)           | not sent   | nobody needs it                            |
| `marketing.*` and anything else               | not sent   | we started it; nobody needs it             |
"""

TRANSACTIONAL = ("account.", "auth.", "order.", "payment.", "delivery.", "support.", "console.", "driver.")


def is_transactional(kind: str) -> bool:
    return kind.startswith(TRANSACTIONAL)


def may_send(kind: str, *, opted_out: bool) -> bool:
    """Whether a message of this kind goes to a number, given whether it said STOP."""
    return not opted_out or is_transactional(kind)
