"""What the domain sees of any call to an outside provider that did not succeed: a payment API or a
message gateway alike, whichever library made the call."""


class ProviderError(Exception):
    """A provider call that did not succeed, and what may be done about it.

    `retryable`: the same call may succeed later (the provider unreachable, a 5xx, a 429); when
    False the provider said a definite no, and asking again will not change it.
    `maybe_received`: no answer came, so the provider may have acted on the call (a timeout):
    ask it what happened before trying again, and never send the call to another provider.
    `outside_window`: the recipient is outside the channel's reply window (WhatsApp's 24 hours),
    so another channel may carry the message.
    """

    def __init__(
        self, reason: str, *, retryable: bool, maybe_received: bool = False, status: int | None = None,
        outside_window: bool = False,
    ) -> None:
        super().__init__(reason)
        self.retryable = retryable
        self.maybe_received = maybe_received
        self.status = status  # the provider's HTTP status, when it answered
        self.outside_window = outside_window
